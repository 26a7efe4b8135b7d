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
}
