using System.CommandLine;
using System.CommandLine.Parsing;

namespace Pitwall.Simulator.Cli;

/// <summary>The <c>pitwall-sim</c> command line (System.CommandLine 2.0).</summary>
internal static class SimulatorCommandLine
{
    public static RootCommand Create()
    {
        var defaults = new FleetOptions();
        var server = new Option<Uri>("--server")
        {
            Description = "The Pitwall server's base address.",
            DefaultValueFactory = _ => defaults.Server,
            CustomParser = ParseServer,
        };
        var vehicles = new Option<int>("--vehicles", "-n")
        {
            Description = $"How many cars to simulate (1..{FleetOptions.MaxVehicles}).",
            DefaultValueFactory = _ => defaults.Count,
        };
        vehicles.Validators.Add(r => Range(r, r.GetValueOrDefault<int>(), 1, FleetOptions.MaxVehicles));
        var seed = new Option<int>("--seed")
        {
            Description = "Seeds every car's randomness: the same seed gives the same fleet doing the same things.",
            DefaultValueFactory = _ => defaults.Seed,
        };
        var fleetSecret = new Option<string>("--fleet-secret")
        {
            Description = "The fleet secret each car's secret derives from (the server must know it).",
            DefaultValueFactory = _ => defaults.FleetSecret,
        };
        var firstIndex = new Option<int>("--first-index")
        {
            Description = "Index of the first car's VIN, so several simulators can share a server without sharing cars.",
            DefaultValueFactory = _ => 0,
        };
        firstIndex.Validators.Add(r => Range(r, r.GetValueOrDefault<int>(), 0, int.MaxValue));
        var rate = new Option<double>("--rate")
        {
            Description = "Load generation: PERIODIC reports per car per second on top of real triggers " +
                          "(0 = only real triggers and a periodic report every 60 s).",
            DefaultValueFactory = _ => 0,
        };
        rate.Validators.Add(r => Range(r, r.GetValueOrDefault<double>(), 0, 1000));
        var duration = new Option<TimeSpan?>("--duration")
        {
            Description = "Stop after this long, e.g. 90s, 15m, 2h or 01:30:00 (default: until Ctrl+C).",
            CustomParser = ParseDuration,
        };
        var connectsPerSecond = new Option<double>("--connects-per-second")
        {
            Description = "Connection attempts per second across the fleet. The server allows 600 challenges per " +
                          "minute per client address by default; use --source-addresses or raise its limit for more.",
            DefaultValueFactory = _ => defaults.ConnectsPerSecond,
        };
        connectsPerSecond.Validators.Add(r => Range(r, r.GetValueOrDefault<double>(), 0.01, 100_000));
        var sourceAddresses = new Option<int>("--source-addresses")
        {
            Description = "Spread sockets over 127.0.0.1..127.0.0.N (loopback servers only; about 28 000 " +
                          "connections fit per address). 1 = let the system choose.",
            DefaultValueFactory = _ => defaults.SourceAddresses,
        };
        sourceAddresses.Validators.Add(r => Range(r, r.GetValueOrDefault<int>(), 1, 254));
        var breakdownsPerHour = new Option<double>("--breakdowns-per-hour")
        {
            Description = "On demand: breakdowns per hour across the fleet (a random connected car breaks down and calls for help), " +
                          "on top of the cars' own rare breakdowns by distance. 0 = none.",
            DefaultValueFactory = _ => 0,
        };
        breakdownsPerHour.Validators.Add(r => Range(r, r.GetValueOrDefault<double>(), 0, 1_000_000));
        var emergencyPerHour = new Option<double>("--emergency-calls-per-hour")
        {
            Description = "On demand: emergency calls (crash or SOS button) per hour across the fleet. 0 = none.",
            DefaultValueFactory = _ => 0,
        };
        emergencyPerHour.Validators.Add(r => Range(r, r.GetValueOrDefault<double>(), 0, 1_000_000));
        var breakDown = new Option<string[]>("--break-down")
        {
            Description = "These cars (VINs, comma-separated or repeated) break down and call for help once, as soon as they are connected.",
            CustomParser = ParseVins,
        };
        var emergency = new Option<string[]>("--emergency-call")
        {
            Description = "These cars (VINs, comma-separated or repeated) raise an emergency call once, as soon as they are connected.",
            CustomParser = ParseVins,
        };
        var updateRoot = new Option<FileInfo?>("--update-root")
        {
            Description = "The signed update metadata's root the cars trust (e.g. the server's key directory's root/1.root.json): " +
                          "they verify every update's metadata and image and refuse what fails.",
        };
        var imageRoot = new Option<FileInfo?>("--image-root")
        {
            Description = "The image repository's root the cars trust (Uptane; the offline directory's root/1.root.json): every image the director " +
                          "names must be pinned by the image repository's offline-signed targets.",
        };
        var manifestKeys = new Option<bool>("--manifest-keys")
        {
            Description = "Each car signs a vehicle manifest (what each component runs) into every update poll, with its own key derived from the " +
                          "fleet secret and its VIN (the server pins it at the first manifest).",
        };
        var mapRegion = new Option<string?>("--map-region")
        {
            Description = "The region of the cars' navigation map (e.g. heidelberg, monaco; 'none' for none): at every start they ask for newer map data of it.",
            DefaultValueFactory = _ => new FleetOptions().MapRegion,
        };
        var mapVersion = new Option<int>("--map-version")
        {
            Description = "The map version the cars start with (0: none yet).",
            DefaultValueFactory = _ => new FleetOptions().MapVersion,
        };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Print each car's connection problems and server errors.",
        };

        var root = new RootCommand("pitwall-sim: simulated vehicles for Pitwall over the real vehicle link " +
                                   "(demo fleet, integration-test peer and load generator).")
        {
            server, vehicles, seed, fleetSecret, firstIndex, rate, duration, connectsPerSecond, sourceAddresses, breakdownsPerHour, emergencyPerHour,
            breakDown, emergency, updateRoot, imageRoot, manifestKeys, mapRegion, mapVersion, verbose,
        };
        root.Validators.Add(result =>
        {
            var fleet = new FleetOptions { Count = result.GetValue(vehicles), FirstIndex = result.GetValue(firstIndex) };
            foreach (var vin in (result.GetValue(breakDown) ?? []).Concat(result.GetValue(emergency) ?? []))
            {
                if (fleet.ForeignVin(vin) is { } error)
                {
                    result.AddError(error);
                }
            }
        });
        root.SetAction((result, cancellationToken) => SimulatorRun.RunAsync(new SimulatorRun.Settings(
            new FleetOptions
            {
                Server = result.GetValue(server)!,
                Count = result.GetValue(vehicles),
                Seed = result.GetValue(seed),
                FleetSecret = result.GetValue(fleetSecret)!,
                FirstIndex = result.GetValue(firstIndex),
                ReportsPerSecond = result.GetValue(rate),
                ConnectsPerSecond = result.GetValue(connectsPerSecond),
                SourceAddresses = result.GetValue(sourceAddresses),
                BreakdownsPerHour = result.GetValue(breakdownsPerHour),
                EmergencyCallsPerHour = result.GetValue(emergencyPerHour),
                BreakDownVins = result.GetValue(breakDown) ?? [],
                EmergencyVins = result.GetValue(emergency) ?? [],
                TrustedUpdateRoot = result.GetValue(updateRoot) is { } rootFile ? File.ReadAllText(rootFile.FullName) : null,
                TrustedImageRoot = result.GetValue(imageRoot) is { } imageFile ? File.ReadAllText(imageFile.FullName) : null,
                ManifestKeys = result.GetValue(manifestKeys),
                MapRegion = result.GetValue(mapRegion) is { Length: > 0 } region && region != "none" ? region : null,
                MapVersion = result.GetValue(mapVersion),
            },
            result.GetValue(duration),
            result.GetValue(verbose)), cancellationToken));

        // The server must know the cars: this prints them for `pitwall admin vehicle-import --fleet-secret …`.
        var vinsCount = new Option<int>("--vehicles", "-n") { Description = "How many cars.", DefaultValueFactory = _ => defaults.Count };
        vinsCount.Validators.Add(r => Range(r, r.GetValueOrDefault<int>(), 1, FleetOptions.MaxVehicles));
        var vinsFirst = new Option<int>("--first-index") { Description = "The first car's index.", DefaultValueFactory = _ => 0 };
        var vins = new Command("vins", "Print the fleet's cars as CSV for `pitwall admin vehicle-import --fleet-secret <secret>`.") { vinsCount, vinsFirst };
        vins.SetAction(result =>
        {
            Console.WriteLine("vin,model,model_year");
            var first = result.GetValue(vinsFirst);
            for (var i = first; i < first + result.GetValue(vinsCount); i++)
            {
                Console.WriteLine($"{FleetVins.For(i)},Taycan,2025");
            }
            return 0;
        });
        root.Subcommands.Add(vins);
        root.Subcommands.Add(CpoCommand.Create());
        return root;
    }

    private static Uri? ParseServer(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss")
        {
            return uri;
        }
        result.AddError($"--server must be an absolute http(s) address such as http://localhost:5080, not '{text}'.");
        return null;
    }

    private static string[] ParseVins(ArgumentResult result) =>
        [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(v => v.ToUpperInvariant()).Distinct()];

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (DurationParser.TryParse(text, out var duration))
        {
            return duration;
        }
        result.AddError($"--duration must be a positive duration such as 90s, 15m, 2h or 01:30:00, not '{text}'.");
        return null;
    }

    private static void Range<T>(OptionResult result, T value, T min, T max) where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            result.AddError($"{result.Option.Name} must be between {min} and {max}.");
        }
    }
}
