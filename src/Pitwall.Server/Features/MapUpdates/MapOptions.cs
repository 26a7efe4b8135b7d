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

    /// <summary>The token issuer's RSA keys (PEM files named by key id and their list <c>issuer-keys.json</c>; the first made on first
    /// use, more by <c>pitwall admin map-token-keys-rotate</c>); outside the database, shared by the instances. A
    /// <c>token-issuer.pem</c> there (the single key of earlier versions) becomes the first key.</summary>
    [Required]
    public string IssuerKeyDirectory { get; set; } = "./data/map-keys";

    /// <summary>How long after a rotation the map distribution still accepts tokens of the previous issuer key (a car that got its tokens
    /// just before may fetch its packages later).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan TokenKeyOverlap { get; set; } = TimeSpan.FromDays(2);

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
