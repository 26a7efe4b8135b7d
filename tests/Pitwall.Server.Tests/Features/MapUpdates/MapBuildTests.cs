using System.Diagnostics;
using Pitwall.Server.Features.MapUpdates;
using Pitwall.Server.Features.MapUpdates.Tiles;
using SkiaSharp;

namespace Pitwall.Server.Tests.Features.MapUpdates;

/// <summary><c>pitwall admin maps-build</c>'s work, checked with osmium itself: each region cut from its extract, version 2 the documented
/// edit of version 1, the increment exactly that edit, and raster tiles drawn from the vector tiles.</summary>
public sealed class MapBuildTests(MapSqliteServer server) : IClassFixture<MapSqliteServer>
{
    private static string Osmium => Environment.GetEnvironmentVariable("PITWALL_OSMIUM") is { Length: > 0 } o ? o : "osmium";

    [Fact]
    public async Task The_increment_between_two_versions_is_the_documented_edit_and_turns_version_1_into_version_2()
    {
        await MapData.BuildAsync(server);
        var monaco = Path.Combine(MapData.Directory, "monaco");

        var increment = await OsmiumAsync("cat", "-f", "opl", Path.Combine(monaco, "2", "from-1.osc.gz"));

        // monaco-2.osc: three new nodes, a new street of them, and a lower speed limit on an existing way — nothing else.
        var lines = increment.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("w2000000001 ", StringComparison.Ordinal) && l.Contains("highway=residential", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith('w') && !l.StartsWith("w2000000001 ", StringComparison.Ordinal) && l.Contains("maxspeed=30", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => l.StartsWith("n2000000000", StringComparison.Ordinal)));

        var applied = Path.Combine(server.Own, "applied.osm.pbf");
        await OsmiumAsync("apply-changes", "--overwrite", "-o", applied, Path.Combine(monaco, "1", "region.osm.pbf"), Path.Combine(monaco, "2", "from-1.osc.gz"));
        Assert.Equal("", await OsmiumAsync("diff", "-q", applied, Path.Combine(monaco, "2", "region.osm.pbf")));

        var packages = await server.Get<MapCatalogue>().PackagesAsync("monaco", CancellationToken.None);
        Assert.Equal([("full", 0, 1), ("full", 0, 2), ("increment", 1, 2)],
            packages.Select(p => (p.Kind, p.FromVersion, p.ToVersion)).OrderBy(p => p.ToVersion).ThenBy(p => p.Kind, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Own_tiles_are_drawn_from_the_regions_vector_tiles_and_none_outside_them()
    {
        await MapData.BuildAsync(server);
        var tiles = server.Get<IOwnMapTiles>();
        var (x, y) = TileOf(43.7384, 7.4246, 16); // Monaco, by the harbour (overzoomed from zoom 14)

        var png = await tiles.TileAsync(16, x, y, CancellationToken.None);

        Assert.NotNull(png);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((256, 256), (bitmap.Width, bitmap.Height));
        var colours = bitmap.Pixels.Distinct().Count();
        Assert.True(colours > 10, $"only {colours} colours: nothing drawn");
        var (sx, sy) = TileOf(48.7758, 9.1829, 16); // Stuttgart: no region built there
        Assert.Null(await tiles.TileAsync(16, sx, sy, CancellationToken.None));
    }

    private static (int X, int Y) TileOf(double lat, double lon, int z)
    {
        var n = 1 << z;
        var rad = lat * Math.PI / 180;
        return ((int)((lon + 180) / 360 * n), (int)((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n));
    }

    private static async Task<string> OsmiumAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Osmium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"osmium {arguments[0]}: {await errors}");
        return await output;
    }
}
