using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Pitwall.Server.Features.Privacy.Processors;

/// <summary>
/// The HTTP side of the processor gateway: every HTTP client that calls a processor goes through
/// <see cref="ProcessorHttpHandler"/>, which removes what would tell the processor about anyone but the platform.
/// </summary>
public static class ProcessorHttp
{
    /// <summary><c>Pitwall/&lt;version&gt;</c>: names the software, not the installation, the user or the browser.</summary>
    public static string UserAgent { get; } = "Pitwall/" + Version();

    /// <summary>
    /// Puts <see cref="ProcessorHttpHandler"/> in front of the client's handler, with <paramref name="userAgent"/> (or
    /// <see cref="UserAgent"/>), and turns off what the primary handler would add by itself: cookies and the distributed
    /// tracing headers (<c>traceparent</c>, which would let providers correlate our calls). Call it after
    /// <c>ConfigurePrimaryHttpMessageHandler</c>.
    /// </summary>
    public static IHttpClientBuilder AddProcessorGateway(this IHttpClientBuilder builder, Func<IServiceProvider, string>? userAgent = null)
    {
        builder.AddHttpMessageHandler(sp => new ProcessorHttpHandler(userAgent?.Invoke(sp) ?? UserAgent));
        builder.ConfigurePrimaryHttpMessageHandler((handler, _) =>
        {
            if (handler is SocketsHttpHandler sockets)
            {
                sockets.UseCookies = false;
                sockets.ActivityHeadersPropagator = null;
            }
        });
        return builder;
    }

    /// <summary>The gateway itself (<see cref="ProcessorGateway"/>) and the metrics it counts with; idempotent.</summary>
    public static IServiceCollection AddProcessorGateway(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ProcessorGateway>();
        return services;
    }

    private static string Version()
    {
        var assembly = typeof(ProcessorHttp).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? assembly.GetName().Version?.ToString(3) ?? "1.0.0";
        // Without the commit hash the build may append ("1.0.0+4f2c…"): the version is enough.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }
}

/// <summary>
/// Removes the headers that would tell a processor about a person or about our infrastructure (cookies, Referer, Origin,
/// forwarding and client-address headers, tracing ids, From) and sets a neutral User-Agent, on every request to a
/// processor.
/// </summary>
internal sealed class ProcessorHttpHandler(string userAgent) : DelegatingHandler
{
    /// <summary>Headers a processor never gets.</summary>
    public static readonly IReadOnlyList<string> StrippedHeaders =
    [
        "Cookie", "Cookie2", "Referer", "Origin", "From",
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server",
        "X-Real-IP", "X-Client-IP", "Client-IP", "True-Client-IP", "CF-Connecting-IP", "X-Cluster-Client-IP", "Via",
        "traceparent", "tracestate", "Request-Id", "Correlation-Context", "baggage",
    ];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Neutralise(request);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Neutralise(request);
        return base.Send(request, cancellationToken);
    }

    private void Neutralise(HttpRequestMessage request)
    {
        foreach (var header in StrippedHeaders)
        {
            request.Headers.Remove(header);
        }
        request.Headers.Remove("User-Agent");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
    }
}
