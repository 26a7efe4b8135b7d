using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pitwall.Bench;

internal sealed record CommandSettings(
    string WorkDirectory, string ServerDll, string FleetSecret, int Cars, int Owners, double Rate, TimeSpan Warmup, TimeSpan Duration,
    TimeSpan Timeout, string Type, int Port, int HttpConnections, IReadOnlyDictionary<string, string> ServerEnvironment, TimeSpan QuietWait,
    bool ReuseSetup = false);

/// <summary>
/// (3) Remote-command round trip: owners' apps send commands (<c>POST /api/v1/vehicles/{vin}/commands</c>) at a fixed
/// rate spread over many cars; each car answers its <c>command</c> frame at once; a round trip ends when the owner's
/// event stream (<c>GET /api/v1/events</c>) shows the command performed. Pitwall is <c>pitwall serve</c> in its own
/// process on a fresh SQLite database; accounts, cars and pairings are made the way an operator and the apps make them.
/// </summary>
internal static class CommandsBenchmark
{
    private const double TargetRate = 1000;
    private const double TargetP99Ms = 25; // issue 17 (was 50)

    /// <summary>
    /// The database with the registered cars and the owner accounts (before the server first starts on it), and the owners'
    /// account ids. The first run keeps a copy of both in the work directory; with <see cref="CommandSettings.ReuseSetup"/>
    /// a later run starts from that copy (the server applies any newer migrations when it starts).
    /// </summary>
    private static async Task<(string Database, string[] AccountIds)> PrepareAsync(PitwallServer server, CommandSettings s, int ownerCount)
    {
        var kept = Path.Combine(s.WorkDirectory, string.Create(CultureInfo.InvariantCulture,
            $"commands-setup-{s.Cars}x{ownerCount}-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s.FleetSecret)))[..8]}"));
        var database = Path.Combine(s.WorkDirectory, "commands.db");
        if (s.ReuseSetup && File.Exists(kept + ".db") && File.Exists(kept + ".accounts"))
        {
            PitwallServer.CopyDatabase(kept + ".db", database);
            Console.WriteLine($"Reusing the prepared cars and owners of {kept}.db");
            return (database, await File.ReadAllLinesAsync(kept + ".accounts"));
        }
        Console.WriteLine($"Preparing a database with {s.Cars} registered cars (pitwall admin vehicle-import) and {ownerCount} owners (pitwall admin create-user) …");
        var setup = Stopwatch.GetTimestamp();
        database = await server.CreateTemplateAsync("commands", s.Cars, s.FleetSecret);
        var accountIds = await Owners.CreateAsync(server, database, ownerCount, s.WorkDirectory);
        PitwallServer.Checkpoint(database);
        PitwallServer.CopyDatabase(database, kept + ".db");
        await File.WriteAllLinesAsync(kept + ".accounts", accountIds);
        Console.WriteLine($"  done in {Stopwatch.GetElapsedTime(setup).TotalSeconds:F0} s");
        return (database, accountIds);
    }

    private static string CpuPerCommand(CommandLoadResult load, long performed) => performed == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture,
        $"{1000 * load.ServerCores * load.Seconds / performed:F3} ms ({load.ServerCores:F2} cores at {performed / load.Seconds:N0}/s)");

    public static async Task<int> RunAsync(CommandSettings s)
    {
        Directory.CreateDirectory(s.WorkDirectory);
        var ownerCount = s.Owners > 0 ? s.Owners : (s.Cars + Owners.MaxCarsPerOwner - 1) / Owners.MaxCarsPerOwner;
        var perOwner = (s.Cars + ownerCount - 1) / ownerCount;
        if (perOwner > Owners.MaxCarsPerOwner)
        {
            await Console.Error.WriteLineAsync(
                $"{s.Cars} cars need at least {(s.Cars + Owners.MaxCarsPerOwner - 1) / Owners.MaxCarsPerOwner} owners: Pitwall allows {Owners.MaxCarsPerOwner} pairings per account per hour.");
            return 2;
        }
        var server = new PitwallServer(s.ServerDll, s.WorkDirectory);
        var (database, accountIds) = await PrepareAsync(server, s, ownerCount);

        await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        var environment = new Dictionary<string, string>(s.ServerEnvironment, StringComparer.Ordinal);
        // Every owner signs in from this one address: the per-address limit of /api/v1/auth is meant for people.
        environment.TryAdd("Pitwall__Http__AuthRequestsPerMinute", "100000");
        using var pitwall = await server.StartAsync(s.Port, database, "pitwall-commands", environment);
        Console.WriteLine($"  server pid {pitwall.Id} (pitwall serve); log: {pitwall.LogPath}");
        var baseAddress = new Uri($"http://127.0.0.1:{s.Port}");
        // A car has at most one command open, so one connection per car means a POST never queues on this side.
        var connections = s.HttpConnections > 0 ? s.HttpConnections : s.Cars;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = s.Timeout };
        // The event streams stay open for the whole run: their own connections, no overall timeout.
        using var streamHandler = new SocketsHttpHandler { MaxConnectionsPerServer = ownerCount };
        using var streamHttp = new HttpClient(streamHandler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };

        var stats = new LoadStats();
        var cars = await ConnectAsync(baseAddress, http, s, stats);
        var owners = new Owner[ownerCount];
        var step = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, ownerCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (o, ct) =>
        {
            var carsOfOwner = Enumerable.Range(o * perOwner, Math.Max(0, Math.Min(perOwner, s.Cars - o * perOwner))).ToList();
            owners[o] = new Owner(o, Owners.Email(o), accountIds[o], await Owners.SignInAsync(http, Owners.Email(o), ct), carsOfOwner);
        });
        using (var pairingTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)))
        {
            await Parallel.ForEachAsync(owners.SelectMany(o => o.Cars.Select(c => (Owner: o, Car: c))),
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = pairingTimeout.Token },
                async (pair, ct) => await Owners.PairAsync(http, pair.Owner, cars[pair.Car], ct));
        }
        Console.WriteLine($"  {ownerCount} owners signed in and paired their {s.Cars} cars in {Stopwatch.GetElapsedTime(step).TotalSeconds:F1} s");

        var tracker = new CommandTracker();
        var streams = new EventStream[ownerCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, ownerCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (o, ct) =>
            streams[o] = await EventStream.OpenAsync(streamHttp, owners[o], tracker, ct));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {ownerCount} event streams ready; {s.Type} at {s.Rate:N0}/s, warming up for {s.Warmup.TotalSeconds:F0} s, then measuring {s.Duration.TotalSeconds:F0} s"));

        var load = await CommandLoad.RunAsync(
            new CommandLoadOptions(owners, s.Cars, s.Rate, s.Warmup, s.Duration, s.Timeout, s.Type, [pitwall.Id]), http, tracker, Console.Out);
        var serverRssKb = ProcStats.RssKb(pitwall.Id);
        var timeline = Path.Combine(s.WorkDirectory, string.Create(CultureInfo.InvariantCulture, $"commands-timeline-{s.Cars}x{s.Rate:F0}.csv"));
        await CommandTimeline.WriteAsync(timeline, load.Origin);
        Console.WriteLine($"  per-command timeline (ms since the load began): {timeline}");
        var streamFailures = streams.Where(e => e.Failure is not null).Select(e => e.Failure!).ToList();
        var events = streams.Sum(e => e.Events);
        var carFailures = cars.Where(c => c.Failure is not null).Select(c => $"{c.Vin}: {c.Failure}").ToList();
        var carsPerformed = cars.Sum(c => c.CommandsPerformed);
        foreach (var stream in streams)
        {
            stream.Dispose();
        }
        foreach (var car in cars)
        {
            car.Dispose();
        }
        pitwall.Kill();

        return await ReportAsync(s, ownerCount, load, new
        {
            serverRssKb, sseEvents = events, streamFailures, carFailures = carFailures.Count, carFailureSamples = carFailures.Take(10).ToList(),
            commandsPerformedByCars = carsPerformed, load.UnclaimedEvents, load.StillOpen,
        }, streamFailures.Count + carFailures.Count);
    }

    private static async Task<RawCar[]> ConnectAsync(Uri server, HttpClient http, CommandSettings s, LoadStats stats)
    {
        var cars = new RawCar[s.Cars];
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await Parallel.ForEachAsync(Enumerable.Range(0, s.Cars), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = timeout.Token }, async (i, ct) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    cars[i] = await RawCar.ConnectAsync(server, http, i, s.FleetSecret, 1, stats, ct);
                    return;
                }
                catch (Exception e) when (attempt < 3 && e is not OperationCanceledException)
                {
                    await Task.Delay(500, ct);
                }
            }
        });
        Console.WriteLine($"  {s.Cars} cars connected in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        return cars;
    }

    private static async Task<int> ReportAsync(CommandSettings s, int ownerCount, CommandLoadResult load, object details, int brokenLinks)
    {
        var m = load.Measured;
        var roundTrip = m.RoundTrips();
        var post = m.Posts();
        string Ms(Percentiles p) => string.Create(CultureInfo.InvariantCulture, $"{p.P50:F1} / {p.P90:F1} / {p.P99:F1} / {p.Max:F1} ms");
        var statuses = string.Join(", ", m.HttpStatuses.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Key} × {x.Value:N0}")));
        var notPerformed = m.Failed + m.Expired + m.TimedOut + m.HttpFailed;
        List<string[]> rows =
        [
            ["commands issued / performed (round trip complete)", string.Create(CultureInfo.InvariantCulture,
                $"{m.Issued:N0} / {m.Performed:N0} = {m.Issued / load.Seconds:N1}/s issued, {m.Performed / load.Seconds:N1}/s performed")],
            ["round trip p50 / p90 / p99 / max (POST → car → performed on the SSE stream)", Ms(roundTrip)],
            ["POST answered 202: p50 / p90 / p99 / max", Ms(post)],
            ["failed / expired / timed out / HTTP errors", string.Create(CultureInfo.InvariantCulture,
                $"{m.Failed} / {m.Expired} / {m.TimedOut} (> {s.Timeout.TotalSeconds:F0} s) / {m.HttpFailed}")],
            ["not issued: every car had a command open", m.NotIssued.ToString("N0", CultureInfo.InvariantCulture)],
            ["HTTP statuses of the POSTs", statuses],
            ["CPU: Pitwall / this client (cars + apps) / machine", string.Create(CultureInfo.InvariantCulture,
                $"{load.ServerCores:F2} / {load.ClientCores:F2} / {load.MachineCores:F2} cores{(load.OtherCores > 0.2 ? $" (WARNING: {load.OtherCores:F2} cores used by other processes)" : "")}")],
            ["Pitwall CPU per command performed (robust to other load, unlike the latencies)", CpuPerCommand(load, m.Performed)],
            ["this client's own collections in the window (gen 0 / 1 / 2)", string.Create(CultureInfo.InvariantCulture,
                $"{load.ClientCollections.Gen0} / {load.ClientCollections.Gen1} / {load.ClientCollections.Gen2}{(load.ClientCollections.Held ? " (no-GC region held)" : "")}")],
        ];
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Commands, {s.Cars} cars of {ownerCount} owners, {s.Type} at {s.Rate:N0}/s open loop ({Environment.ProcessorCount} cores; warm-up {s.Warmup.TotalSeconds:F0} s, measured {load.Seconds:F0} s; target p99 ≤ {TargetP99Ms:F0} ms at {TargetRate:N0}/s)"));
        Table.Print(["measurement", "value"], rows);
        if (load.OtherCores > 0.2)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"WARNING: {load.OtherCores:F2} cores went to other processes (or kernel threads) while measuring; the latencies overstate this machine's. Re-run on a quiet machine."));
        }
        var rateNote = s.Rate >= TargetRate ? "" : string.Create(CultureInfo.InvariantCulture, $" (at {s.Rate:N0}/s, below the target's {TargetRate:N0}/s)");
        Console.WriteLine(roundTrip.Count == 0
            ? "No command completed its round trip in the measuring window."
            : string.Create(CultureInfo.InvariantCulture,
                $"Round trip p99 {roundTrip.P99:F1} ms {(roundTrip.P99 <= TargetP99Ms && notPerformed == 0 ? "meets" : "misses")} the ≤ {TargetP99Ms:F0} ms target{rateNote}; p50 {roundTrip.P50:F1} ms."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Pitwall CPU per command: {CpuPerCommand(load, m.Performed)}; other processes used {load.OtherCores:F2} cores."));
        var problem = notPerformed > 0 || brokenLinks > 0 || m.Performed == 0;
        if (problem)
        {
            Console.WriteLine($"PROBLEM: {notPerformed} commands in the window were not performed; {brokenLinks} car links or event streams failed (see the JSON).");
        }
        var results = new Dictionary<string, object?>
        {
            ["machine"] = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() },
            ["settings"] = new
            {
                s.Cars, owners = ownerCount, s.Rate, s.Type, warmupSeconds = s.Warmup.TotalSeconds, durationSeconds = s.Duration.TotalSeconds,
                timeoutSeconds = s.Timeout.TotalSeconds, httpConnections = s.HttpConnections > 0 ? s.HttpConnections : s.Cars,
            },
            ["measured"] = Summary(m, load.Seconds),
            ["warmup"] = Summary(load.Warmup, s.Warmup.TotalSeconds),
            ["cpu"] = new { load.ServerCores, load.ClientCores, load.MachineCores, load.OtherCores },
            ["clientCollections"] = new { load.ClientCollections.Gen0, load.ClientCollections.Gen1, load.ClientCollections.Gen2, load.ClientCollections.Held },
            ["details"] = details,
        };
        var json = Path.Combine(s.WorkDirectory, string.Create(CultureInfo.InvariantCulture, $"commands-results-{s.Cars}x{s.Rate:F0}.json"));
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"Results: {json}");
        return problem ? 1 : 0;
    }

    private static object Summary(CommandTally t, double seconds) => new
    {
        t.Issued, issuedPerSecond = t.Issued / seconds, t.Performed, performedPerSecond = t.Performed / seconds, t.Failed, t.Expired, t.TimedOut, t.HttpFailed,
        t.NotIssued, roundTripMs = t.RoundTrips(), postMs = t.Posts(), httpStatuses = new SortedDictionary<string, long>(t.HttpStatuses, StringComparer.Ordinal),
    };
}
