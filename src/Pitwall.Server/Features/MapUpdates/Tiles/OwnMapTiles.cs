using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.MapUpdates.Tiles;

/// <summary>
/// Pitwall's own map tiles for the portal (<c>/tiles/{z}/{x}/{y}.png</c>): raster tiles drawn from the vector tiles that
/// <c>pitwall admin maps-build</c> made of each region's newest version, so the portal's maps need no internet and no tile provider.
/// </summary>
public interface IOwnMapTiles
{
    /// <summary>The PNG of the tile, or null when no built region covers it (the caller may ask an external provider).</summary>
    Task<byte[]?> TileAsync(int z, int x, int y, CancellationToken cancellationToken);
}

/// <summary>Reads the newest <c>tiles.mbtiles</c> of each region (checked once a minute), renders with <see cref="TileRenderer"/> and
/// keeps a bounded number of rendered tiles.</summary>
internal sealed class OwnMapTiles(MapCatalogue catalogue, IOptions<MapOptions> options, TimeProvider time) : IOwnMapTiles
{
    /// <summary>tilemaker's zoom range (Build/tilemaker-config.json): below it there are no tiles, above it the renderer overzooms.</summary>
    public const int MinZoom = 8;
    public const int MaxVectorZoom = 14;
    public const int MaxZoom = 19;

    private static readonly TimeSpan CatalogueCheck = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(int Z, int X, int Y), byte[]> _rendered = new();
    private volatile RegionSnapshot? _regions;

    public async Task<byte[]?> TileAsync(int z, int x, int y, CancellationToken cancellationToken)
    {
        if (z is < MinZoom or > MaxZoom || x < 0 || y < 0 || x >= 1 << z || y >= 1 << z)
        {
            return null;
        }
        var regions = await RegionsAsync(cancellationToken);
        if (_rendered.TryGetValue((z, x, y), out var cached))
        {
            return cached;
        }
        var sourceZoom = Math.Min(z, MaxVectorZoom);
        var (sx, sy) = (x >> (z - sourceZoom), y >> (z - sourceZoom));
        var (west, south, east, north) = Bounds(z, x, y);
        var sources = new List<IReadOnlyList<VectorLayer>>();
        foreach (var (release, box) in regions)
        {
            if (box.West > east || box.East < west || box.South > north || box.North < south)
            {
                continue;
            }
            if (await ReadAsync(Path.Combine(options.Value.Directory, release.Region, release.TilesFile), sourceZoom, sx, sy, cancellationToken) is { } data)
            {
                sources.Add(VectorTile.Decode(data));
            }
        }
        if (sources.Count == 0)
        {
            return null;
        }
        var png = TileRenderer.Render(z, x, y, sourceZoom, sources);
        if (_rendered.Count >= options.Value.TileCacheEntries)
        {
            _rendered.Clear();
        }
        if (options.Value.TileCacheEntries > 0)
        {
            _rendered[(z, x, y)] = png;
        }
        return png;
    }

    private async Task<IReadOnlyList<(MapRelease Release, BoundingBox Box)>> RegionsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_regions is { } known && now - known.At < CatalogueCheck)
        {
            return known.Regions;
        }
        var latest = (await catalogue.LatestAsync(cancellationToken))
            .Select(r => (Release: r, Box: BoundingBox.Parse(r.Bbox)))
            .Where(r => r.Box is not null).Select(r => (r.Release, r.Box!.Value)).ToList();
        if (_regions is not { } before || !before.Regions.SequenceEqual(latest))
        {
            _rendered.Clear(); // a new version was built: draw again
        }
        _regions = new RegionSnapshot(now, latest);
        return latest;
    }

    /// <summary>The vector tile at z/x/y (XYZ; the .mbtiles rows count from the south, TMS), or null.</summary>
    private static async Task<byte[]?> ReadAsync(string file, int z, int x, int y, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tile_data FROM tiles WHERE zoom_level = $z AND tile_column = $x AND tile_row = $y";
        command.Parameters.AddWithValue("$z", z);
        command.Parameters.AddWithValue("$x", x);
        command.Parameters.AddWithValue("$y", (1 << z) - 1 - y);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    private sealed record RegionSnapshot(DateTimeOffset At, IReadOnlyList<(MapRelease Release, BoundingBox Box)> Regions);

    /// <summary>The tile's west, south, east and north in degrees (Web Mercator).</summary>
    public static (double West, double South, double East, double North) Bounds(int z, int x, int y)
    {
        var n = (double)(1 << z);
        static double Latitude(double yy, double n) => Math.Atan(Math.Sinh(Math.PI * (1 - 2 * yy / n))) * 180 / Math.PI;
        return (x / n * 360 - 180, Latitude(y + 1, n), (x + 1) / n * 360 - 180, Latitude(y, n));
    }
}
