using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary><c>Pitwall:Maps</c>: where the built map packages and tiles live, the token issuer's key, and the map distribution.</summary>
internal sealed class MapOptions
{
    public const string Section = "Pitwall:Maps";

    /// <summary>Where <c>pitwall admin maps-build</c> writes each region's versions (<c>{region}/{version}/…</c>) and the server reads
    /// them (relative paths from the working directory).</summary>
    [Required]
    public string Directory { get; set; } = "./data/maps";

    /// <summary>The token issuer's RSA key (PEM, made on first use); outside the database. The map distribution needs only its public part.</summary>
    [Required]
    public string IssuerKeyFile { get; set; } = "./data/map-keys/token-issuer.pem";

    /// <summary>The map distribution's own access log: one line per request with the region, the package, the answer and the bytes —
    /// never an address, a VIN, an account or a token. Empty: <c>{Directory}/distribution.log</c>.</summary>
    public string DistributionLog { get; set; } = "";

    /// <summary>The issuer name and origin in the distribution's token challenge (RFC 9577).</summary>
    [Required]
    public string IssuerName { get; set; } = "pitwall-map-issuer";

    [Required]
    public string OriginName { get; set; } = "pitwall-map-distribution";

    /// <summary>The most packages (and so tokens) one offer carries; a longer chain continues at the next poll.</summary>
    [Range(1, 8)]
    public int MaxPackagesPerOffer { get; set; } = 8;

    /// <summary>Rendered portal tiles kept in memory.</summary>
    [Range(0, 100_000)]
    public int TileCacheEntries { get; set; } = 4096;

    public string DistributionLogPath => DistributionLog is { Length: > 0 } path ? path : Path.Combine(Directory, "distribution.log");
}
