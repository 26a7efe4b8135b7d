using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary><c>pitwall admin maps-build [--source-directory D] [--region R]…</c>: builds the map regions' versions, increments and vector
/// tiles from the OpenStreetMap extracts with osmium-tool and tilemaker, into <c>Pitwall:Maps:Directory</c>, and records them;
/// <c>pitwall admin map-token-keys-rotate [--key-directory D] [--not-before T]</c>: a new issuer key for the map distribution's tokens.</summary>
public static class MapCommands
{
    public static IEnumerable<Command> Create(AppFactory factory, Option<string?> database)
    {
        var source = new Option<string>("--source-directory")
        {
            Description = "The folder of the shared data sets (osm-monaco/, osm-heidelberg/ …); default: ../shared/data.",
            DefaultValueFactory = _ => Path.Combine("..", "shared", "data"),
        };
        var region = new Option<string[]>("--region") { Description = "Build only these regions (monaco, heidelberg); default: all.", AllowMultipleArgumentsPerToken = true };
        var build = new Command("maps-build", "Build the map regions (versions, increments, vector tiles) from the OpenStreetMap extracts; needs osmium-tool and tilemaker.")
        {
            source, region,
        };
        build.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var wanted = result.GetValue(region) ?? [];
            var unknown = wanted.Where(r => MapRegions.Find(r) is null).ToList();
            if (unknown.Count > 0)
            {
                await Console.Error.WriteLineAsync($"Unknown region(s): {string.Join(", ", unknown)}; known: {string.Join(", ", MapRegions.Shipped.Select(r => r.Id))}.");
                return 1;
            }
            try
            {
                var lines = await app.Services.GetRequiredService<MapBuilder>().BuildAsync(result.GetValue(source)!,
                    MapRegions.Shipped.Where(r => wanted.Length == 0 || wanted.Contains(r.Id)), ct);
                foreach (var line in lines)
                {
                    Console.WriteLine(line);
                }
                return 0;
            }
            catch (MapBuildException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
        }));
        return [build, RotateKeys(factory, database)];
    }

    /// <summary>A new token issuer key in the key directory (never the database): it signs from <c>--not-before</c> (default now);
    /// the previous key's tokens are accepted for <c>Pitwall:Maps:TokenKeyOverlap</c> after that; keys past it are deleted.</summary>
    private static Command RotateKeys(AppFactory factory, Option<string?> database)
    {
        var directory = new Option<string?>("--key-directory") { Description = "The issuer's key directory; default: Pitwall:Maps:IssuerKeyDirectory (./data/map-keys)." };
        var notBefore = new Option<string?>("--not-before")
        {
            Description = "When the new key starts to sign (ISO 8601, e.g. 2026-12-08T02:00:00Z); default: now. A later time lets every instance's key directory get the key first.",
        };
        var rotate = new Command("map-token-keys-rotate",
            "Make a new issuer key for the map distribution's anonymous tokens; the previous key's tokens stay good for Pitwall:Maps:TokenKeyOverlap.") { directory, notBefore };
        rotate.SetAction(async (result, _) =>
        {
            await using var app = factory([], b => PitwallCommandLine.Configure(b, result, database));
            var options = app.Services.GetRequiredService<IOptions<MapOptions>>().Value;
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var start = now;
            if (result.GetValue(notBefore) is { Length: > 0 } text
                && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start))
            {
                await Console.Error.WriteLineAsync($"--not-before: not a time: {text}");
                return 1;
            }
            var keyDirectory = result.GetValue(directory) is { Length: > 0 } chosen ? chosen : options.IssuerKeyDirectory;
            var (added, dropped) = IssuerKeySet.Rotate(keyDirectory, start, now, options.TokenKeyOverlap);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"new issuer key {added}, signs from {start:yyyy-MM-dd'T'HH:mm:ss'Z'}"));
            foreach (var id in dropped)
            {
                Console.WriteLine($"deleted issuer key {id} (past the overlap)");
            }
            using var keys = IssuerKeySet.Load(keyDirectory);
            foreach (var key in keys.Keys)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"key {key.Id} not-before {key.NotBefore:yyyy-MM-dd'T'HH:mm:ss'Z'}"));
            }
            return 0;
        });
        return rotate;
    }
}
