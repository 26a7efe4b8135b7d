using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Hosting;

/// <summary>
/// Behind a load balancer (deploy/haproxy/pitwall.cfg): the client's address and scheme come from <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c>, but only on connections from the proxies named in <c>Pitwall:Http:TrustedProxies</c> (addresses
/// or CIDR networks). Anyone else's forwarding headers are ignored, and of a trusted proxy's only the last (the address the
/// proxy itself saw), so a client cannot choose the address its rate limits and access-log entries are counted under.
/// </summary>
public static class TrustedProxies
{
    internal static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HostingOptions>>((forwarded, hosting) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var entry in hosting.Value.TrustedProxies)
            {
                if (IPAddress.TryParse(entry, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
                else
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                }
            }
        });
        return services;
    }

    internal static bool IsAddressOrNetwork(string entry) => IPAddress.TryParse(entry, out _) || System.Net.IPNetwork.TryParse(entry, out _);

    /// <summary>First in the pipeline, so that the car link's logins, the access log and the rate limits see the client.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<HostingOptions>>().Value.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }
}
