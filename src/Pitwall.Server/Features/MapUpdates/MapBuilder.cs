using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>
/// Builds the map data (<c>pitwall admin maps-build</c>), with Debian's <c>osmium-tool</c> and <c>tilemaker</c>, never at run time
/// and never from the network: per region and version (<see cref="MapRegions"/>) the region's OSM data (<c>{v}/region.osm.pbf</c>,
/// also the <c>full</c> package), the increment from the previous version (<c>{v}/from-{v-1}.osc.gz</c>, <c>osmium derive-changes</c>)
/// and the vector tiles (<c>{v}/tiles.mbtiles</c>); then records them in the catalogue.
/// </summary>
internal sealed partial class MapBuilder(MapCatalogue catalogue, IOptions<MapOptions> options, TimeProvider time, ILogger<MapBuilder> logger)
{
    /// <summary>One build at a time in a process: two would write the same files.</summary>
    private static readonly SemaphoreSlim OneBuild = new(1, 1);

    /// <summary>The tools; PATH by default.</summary>
    public string Osmium { get; init; } = Environment.GetEnvironmentVariable("PITWALL_OSMIUM") is { Length: > 0 } o ? o : "osmium";

    public string Tilemaker { get; init; } = Environment.GetEnvironmentVariable("PITWALL_TILEMAKER") is { Length: > 0 } t ? t : "tilemaker";

    /// <summary>Builds <paramref name="regions"/> from the extracts under <paramref name="sourceDirectory"/>; returns one line per version.</summary>
    public async Task<IReadOnlyList<string>> BuildAsync(string sourceDirectory, IEnumerable<MapRegionRecipe> regions, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await OneBuild.WaitAsync(cancellationToken);
        var scratch = Directory.CreateTempSubdirectory("pitwall-maps-");
        try
        {
            var config = Resource(scratch.FullName, "tilemaker-config.json");
            var process = Resource(scratch.FullName, "tilemaker-process.lua");
            foreach (var region in regions)
            {
                var previousStamp = "";
                var extract = Path.Combine(sourceDirectory, region.Extract);
                if (!File.Exists(extract))
                {
                    throw new MapBuildException($"The extract {extract} is missing (the shared data's {region.Extract}).");
                }
                var regionDirectory = Path.Combine(options.Value.Directory, region.Id);
                foreach (var version in region.Versions.OrderBy(v => v.Version))
                {
                    var directory = Path.Combine(regionDirectory, version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Directory.CreateDirectory(directory);
                    var data = Path.Combine(directory, "region.osm.pbf");
                    var previous = Path.Combine(regionDirectory, (version.Version - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "region.osm.pbf");
                    var tiles = Path.Combine(directory, "tiles.mbtiles");
                    var increment = $"{version.Version}/from-{version.Version - 1}.osc.gz";
                    // What this version is made of: the recipe, the extract's bytes, the edit and the tilemaker files. The same stamp
                    // means the files on disk are this version already (a re-run only records them); a changed one rebuilds it.
                    var stamp = Stamp(region, version, extract, previousStamp, scratch.FullName, config, process);
                    previousStamp = stamp;
                    var stampFile = Path.Combine(directory, "recipe.sha256");
                    if (File.Exists(stampFile) && await File.ReadAllTextAsync(stampFile, cancellationToken) == stamp && File.Exists(data) && File.Exists(tiles)
                        && (version.Version == 1 || File.Exists(Path.Combine(regionDirectory, increment))))
                    {
                        await RecordAsync(region, version, lines, cancellationToken);
                        continue;
                    }
                    File.Delete(stampFile);
                    if (version.Edit is null)
                    {
                        await RunAsync(Osmium, cancellationToken, "extract", "--bbox", region.Box.ToString(), "--strategy", "complete_ways", "--set-bounds",
                            "--overwrite", "-o", data, extract);
                    }
                    else
                    {
                        await RunAsync(Osmium, cancellationToken, "apply-changes", "--overwrite", "-o", data, previous,
                            Resource(scratch.FullName, version.Edit));
                    }
                    if (version.Version > 1)
                    {
                        await RunAsync(Osmium, cancellationToken, "derive-changes", "--overwrite", "-o",
                            Path.Combine(regionDirectory, increment), previous, data);
                    }
                    File.Delete(tiles); // tilemaker adds to an existing file
                    await RunAsync(Tilemaker, cancellationToken, "--input", data, "--output", tiles, "--config", config, "--process", process);
                    await File.WriteAllTextAsync(stampFile, stamp, cancellationToken);
                    await RecordAsync(region, version, lines, cancellationToken);
                    LogBuilt(logger, region.Id, version.Version);
                }
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
            OneBuild.Release();
        }
        return lines;
    }

    private async Task RecordAsync(MapRegionRecipe region, MapVersionRecipe version, List<string> lines, CancellationToken cancellationToken)
    {
        var packages = new List<MapPackageFile> { Package(region.Id, 0, version.Version, MapPackageKinds.Full, $"{version.Version}/region.osm.pbf") };
        if (version.Version > 1)
        {
            packages.Add(Package(region.Id, version.Version - 1, version.Version, MapPackageKinds.Increment, $"{version.Version}/from-{version.Version - 1}.osc.gz"));
        }
        var tiles = $"{version.Version}/tiles.mbtiles";
        await catalogue.RecordAsync(new MapRelease(region.Id, version.Version, region.Name, region.Box.ToString(), version.Source, tiles, time.GetUtcNow()),
            packages, cancellationToken);
        lines.Add($"{region.Id} {version.Version}: {string.Join(", ", packages.Select(p => $"{p.Kind} {p.File} ({p.Size} bytes)"))}, "
            + $"tiles {new FileInfo(Path.Combine(options.Value.Directory, region.Id, tiles)).Length} bytes");
    }

    private static string Stamp(MapRegionRecipe region, MapVersionRecipe version, string extract, string previous, string scratch, params string[] files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{region.Id}|{region.Box}|{version.Version}|{version.Edit}|{previous}|"));
        foreach (var file in (version.Edit is null ? [extract] : new[] { Resource(scratch, version.Edit) }).Concat(files))
        {
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private MapPackageFile Package(string region, int from, int to, string kind, string file)
    {
        var path = Path.Combine(options.Value.Directory, region, file);
        using var stream = File.OpenRead(path);
        return new MapPackageFile(region, from, to, kind, file, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>A build file shipped in the binary (<c>Features/MapUpdates/Build/</c>), written to the scratch directory.</summary>
    private static string Resource(string scratch, string name)
    {
        var path = Path.Combine(scratch, name);
        using var resource = typeof(MapBuilder).Assembly.GetManifestResourceStream($"maps/{name}")
            ?? throw new MapBuildException($"The build file {name} is not in the binary.");
        using var file = File.Create(path);
        resource.CopyTo(file);
        return path;
    }

    private static async Task RunAsync(string tool, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new MapBuildException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new MapBuildException($"{tool} is not installed (Debian packages osmium-tool and tilemaker), or set PITWALL_OSMIUM / PITWALL_TILEMAKER.");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await output;
            if (process.ExitCode != 0)
            {
                var text = await errors;
                throw new MapBuildException($"{Path.GetFileName(tool)} {arguments[0]} failed ({process.ExitCode}): {text[Math.Max(0, text.Length - 2000)..]}");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Built map region {Region} version {Version}")]
    private static partial void LogBuilt(ILogger logger, string region, int version);
}

internal sealed class MapBuildException(string message) : Exception(message);
