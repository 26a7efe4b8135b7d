using System.CommandLine;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary><c>pitwall admin maps-build [--source-directory D] [--region R]…</c>: builds the map regions' versions, increments and vector
/// tiles from the OpenStreetMap extracts with osmium-tool and tilemaker, into <c>Pitwall:Maps:Directory</c>, and records them.</summary>
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
        return [build];
    }
}
