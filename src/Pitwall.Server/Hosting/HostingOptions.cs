using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Hosting;

internal sealed class HostingOptions
{
    public const string Section = "Pitwall:Http";

    /// <summary>Largest request body Kestrel accepts; larger ones get a 413 problem.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Authentication requests per client address per minute (token, register, revoke).</summary>
    [Range(1, 100_000)]
    public int AuthRequestsPerMinute { get; set; } = 30;

    /// <summary>Load balancers whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed: addresses or CIDR networks
    /// (e.g. <c>10.0.0.5</c>, <c>10.0.0.0/24</c>). Empty: the TCP peer is the client (<see cref="TrustedProxies"/>).</summary>
    public List<string> TrustedProxies { get; set; } = [];
}
