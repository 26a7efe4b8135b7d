namespace Pitwall.Server.Features.Privacy.Processors;

/// <summary>
/// <c>Pitwall:Portal</c>, the tile proxy's part (the provider's URL template is <c>Pitwall:Portal:TileUrl</c>): how the
/// server fetches map tiles for the portal and how long it keeps them.
/// </summary>
internal sealed class MapTileOptions
{
    public const string Section = "Pitwall:Portal";

    /// <summary>The User-Agent the tile provider sees. OpenStreetMap's tile policy asks for one that identifies the
    /// application; operators should add a contact (e.g. <c>Pitwall/1.0 (+https://fleet.example.com; ops@example.com)</c>).
    /// Empty: <c>Pitwall/&lt;version&gt; (map tile proxy)</c>.</summary>
    public string? TileUserAgent { get; set; }

    /// <summary>How many bytes of tiles the server keeps in memory; 0 turns the cache off.</summary>
    public long TileCacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long a tile is kept when the provider says nothing (no max-age, no Expires).</summary>
    public TimeSpan TileCacheDefaultAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest a tile is kept, whatever the provider's Cache-Control says.</summary>
    public TimeSpan TileCacheMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long one fetch from the provider may take, connection to last byte; then the browser gets a 504.</summary>
    public TimeSpan TileTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many fetches from the provider at once (OpenStreetMap forbids heavy use); more wait their turn
    /// within their time-out.</summary>
    public int TileConcurrentFetches { get; set; } = 4;

    /// <summary>The highest zoom level served.</summary>
    public int TileMaxZoom { get; set; } = 19;

    /// <summary>A larger answer from the provider is not a tile: the browser gets a 502.</summary>
    public int TileMaxBytes { get; set; } = 1024 * 1024;
}
