using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>One built version of a region.</summary>
internal sealed record MapRelease(string Region, int Version, string Name, string Bbox, string Source, string TilesFile, DateTimeOffset BuiltAt);

/// <summary>One package: the whole region (<c>full</c>, from version 0) or the change from the previous version (<c>increment</c>).</summary>
internal sealed record MapPackageFile(string Region, int FromVersion, int ToVersion, string Kind, string File, long Size, string Sha256)
{
    /// <summary>Its path at the map distribution.</summary>
    public string Path => $"{MapDistributionEndpoints.Prefix}/{Region}/{File}";
}

/// <summary>SQL for the map data the build made (<c>map_releases</c>, <c>map_packages</c>), and the chain of packages a car needs.</summary>
internal sealed class MapCatalogue(Database database, IOptions<MapOptions> options)
{
    public async Task<IReadOnlyList<MapRelease>> ReleasesAsync(CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<(string Region, long Version, string Name, string Bbox, string Source, string TilesFile, long BuiltAt)>(
            "SELECT region, version, name, bbox, source, tiles_file, built_at FROM map_releases ORDER BY region, version"), cancellationToken))
            .Select(r => new MapRelease(r.Region, (int)r.Version, r.Name, r.Bbox, r.Source, r.TilesFile, StoredTime.Read(r.BuiltAt)))];

    public async Task<IReadOnlyList<MapPackageFile>> PackagesAsync(string region, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<(string Region, long FromVersion, long ToVersion, string Kind, string File, long Size, string Sha256)>(
            "SELECT region, from_version, to_version, kind, file, size, sha256 FROM map_packages WHERE region = @region ORDER BY to_version, from_version",
            new { region }), cancellationToken))
            .Select(r => new MapPackageFile(r.Region, (int)r.FromVersion, (int)r.ToVersion, r.Kind, r.File, r.Size, r.Sha256))];

    /// <summary>The latest release of every region, newest version each.</summary>
    public async Task<IReadOnlyList<MapRelease>> LatestAsync(CancellationToken cancellationToken) =>
        [.. (await ReleasesAsync(cancellationToken)).GroupBy(r => r.Region).Select(g => g.MaxBy(r => r.Version)!)];

    /// <summary>
    /// What a car on <paramref name="version"/> of <paramref name="region"/> needs to reach the latest version: the increments from
    /// its version on, one per version, at most <paramref name="max"/>; the whole region when it has none or a version the chain
    /// does not reach. Null when the region is unknown.
    /// </summary>
    public async Task<(int Latest, IReadOnlyList<MapPackageFile> Packages)?> ChainAsync(string region, int version, int max, CancellationToken cancellationToken)
    {
        var packages = await PackagesAsync(region, cancellationToken);
        if (packages.Count == 0)
        {
            return null;
        }
        var latest = packages.Max(p => p.ToVersion);
        if (version == latest || max <= 0)
        {
            return (latest, []);
        }
        var chain = new List<MapPackageFile>();
        for (var at = version; at < latest && chain.Count < max; at++)
        {
            if (packages.FirstOrDefault(p => p.Kind == MapPackageKinds.Increment && p.FromVersion == at) is not { } next)
            {
                chain.Clear();
                break;
            }
            chain.Add(next);
        }
        if (chain.Count == 0 && packages.FirstOrDefault(p => p.Kind == MapPackageKinds.Full && p.ToVersion == latest) is { } full)
        {
            chain.Add(full); // no version, an unknown one, or a gap: the whole region
        }
        return (latest, chain);
    }

    /// <summary>The package behind a distribution path (<c>{region}/{file}</c>) and its file on disk, or null.</summary>
    public async Task<(MapPackageFile Package, string Path)?> FileAsync(string region, string file, CancellationToken cancellationToken)
    {
        var package = (await PackagesAsync(region, cancellationToken)).FirstOrDefault(p => p.File == file);
        return package is null ? null : (package, System.IO.Path.Combine(options.Value.Directory, region, file));
    }

    /// <summary>Records a built version and its packages (replacing an earlier build of the same version).</summary>
    public Task RecordAsync(MapRelease release, IReadOnlyList<MapPackageFile> packages, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM map_packages WHERE region = @Region AND to_version = @Version", release, t);
            await c.ExecuteAsync(
                """
                INSERT INTO map_releases (region, version, name, bbox, source, tiles_file, built_at)
                VALUES (@Region, @Version, @Name, @Bbox, @Source, @TilesFile, @builtAt)
                ON CONFLICT (region, version) DO UPDATE SET name = excluded.name, bbox = excluded.bbox, source = excluded.source,
                    tiles_file = excluded.tiles_file, built_at = excluded.built_at
                """, new { release.Region, release.Version, release.Name, release.Bbox, release.Source, release.TilesFile, builtAt = release.BuiltAt.ToUnixTimeMilliseconds() }, t);
            foreach (var p in packages)
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO map_packages (region, from_version, to_version, kind, file, size, sha256)
                    VALUES (@Region, @FromVersion, @ToVersion, @Kind, @File, @Size, @Sha256)
                    """, p, t);
            }
        }, cancellationToken);
}

internal static class MapPackageKinds
{
    public const string Full = "full";
    public const string Increment = "increment";
}
