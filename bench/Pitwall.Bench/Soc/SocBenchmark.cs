using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace Pitwall.Bench.Soc;

/// <param name="TheftCars">Cars in theft mode, each sending a tracking message every <paramref name="TrackingInterval"/>.</param>
/// <param name="NormalCars">Cars connected beside them that report normally (one WebSocket each; the open-files limit caps them).</param>
/// <param name="FleetEquivalent">The fleet whose normal reporting the normal cars stand in for.</param>
/// <param name="NormalInterval">What "normally" means: one periodic status report per car per this interval.</param>
internal sealed record SocSettings(
    string WorkDirectory, string ServerDll, string FleetSecret, int TheftCars, int NormalCars, TimeSpan TrackingInterval, int FleetEquivalent,
    TimeSpan NormalInterval, int Operators, TimeSpan Warmup, TimeSpan Duration, TimeSpan Grace, int Port,
    IReadOnlyDictionary<string, string> ServerEnvironment, TimeSpan QuietWait)
{
    public double TrackingRate => TheftCars / TrackingInterval.TotalSeconds;

    /// <summary>Status reports per second of the whole fleet reporting normally, all sent by the <see cref="NormalCars"/>.</summary>
    public double NormalRate => FleetEquivalent / NormalInterval.TotalSeconds;

    /// <summary>How often each connected normal car reports so that together they send <see cref="NormalRate"/>.</summary>
    public TimeSpan NormalCarInterval => TimeSpan.FromSeconds(NormalCars / NormalRate);
}

/// <summary>
/// (4) Theft tracking to the SOC console (issue 7): cars in theft mode send tracking messages (<c>theft_tracking</c>) every
/// 10 s while a large fleet reports normally; the latency runs from the moment a car sends a tracking frame to the moment
/// the matching <c>soc.tracking</c> event arrives on an SOC operator's live feed (<c>GET /api/v1/soc/events</c>).
/// Pitwall is <c>pitwall serve</c> in its own process on a fresh SQLite database; accounts, pairings and Car Security
/// contracts are made the way an operator and the apps make them.
/// </summary>
internal static class SocBenchmark
{
    private const double TargetP99Ms = 1000;

    public static async Task<int> RunAsync(SocSettings s)
    {
        Directory.CreateDirectory(s.WorkDirectory);
        var ownerCount = (s.TheftCars + Owners.MaxCarsPerOwner - 1) / Owners.MaxCarsPerOwner;
        var server = new PitwallServer(s.ServerDll, s.WorkDirectory);
        var total = s.TheftCars + s.NormalCars;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Preparing a database with {total:N0} registered cars (pitwall admin vehicle-import), {ownerCount} owners and {s.Operators} SOC operator(s) (pitwall admin create-user) …"));
        var setup = Stopwatch.GetTimestamp();
        var database = await server.CreateTemplateAsync("soc", total, s.FleetSecret);
        await Owners.CreateAsync(server, database, ownerCount, s.WorkDirectory);
        await SocSetup.CreateOperatorsAsync(server, database, s.Operators, s.WorkDirectory);
        Console.WriteLine($"  done in {Stopwatch.GetElapsedTime(setup).TotalSeconds:F0} s");

        var quietBefore = await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        using var served = await ServedPitwall.StartAsync(server, s.Port, database, "pitwall-soc", s.ServerEnvironment);
        var (pitwall, baseAddress, http, invoker, streamHttp) = (served.Process, served.BaseAddress, served.Http, served.Invoker, served.StreamHttp);

        // The cars in theft mode: connected, paired to their owners, Car Security bought for each.
        var theftStats = new LinkStats();
        var normalStats = new LinkStats();
        var theftCars = await ConnectAsync(baseAddress, http, invoker, 0, s.TheftCars, s.FleetSecret, theftStats, "cars to be stolen");
        var step = Stopwatch.GetTimestamp();
        await SocSetup.PairAllAsync(http, theftCars, ownerCount, async (owner, car, ct) =>
        {
            await SocSetup.BuyCarSecurityAsync(http, owner, car, ct);
            await car.CarSecurityActive.WaitAsync(TimeSpan.FromSeconds(60), ct);
        });
        Console.WriteLine($"  {ownerCount} owners paired {s.TheftCars} cars and bought Car Security for each in {Stopwatch.GetElapsedTime(step).TotalSeconds:F1} s (each car got car_security in its active services)");

        var operators = new AuthenticationHeaderValue[s.Operators];
        var streams = new SocEventStream[s.Operators];
        for (var i = 0; i < s.Operators; i++)
        {
            operators[i] = await Owners.SignInAsync(http, SocSetup.OperatorEmail(i), CancellationToken.None);
            streams[i] = await SocEventStream.OpenAsync(streamHttp, operators[i], CancellationToken.None);
        }
        Console.WriteLine($"  {s.Operators} SOC operator(s) signed in, live feed /api/v1/soc/events open");

        var normalCars = await ConnectAsync(baseAddress, http, invoker, s.TheftCars, s.NormalCars, s.FleetSecret, normalStats, "normally reporting cars");
        var openFilesBefore = ProcStats.OpenFiles(pitwall.Id);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Pitwall holds {openFilesBefore:N0} open files. Load: {s.TheftCars:N0} cars in theft mode × 1 tracking message / {s.TrackingInterval.TotalSeconds:F0} s = {s.TrackingRate:N0}/s; " +
            $"{s.FleetEquivalent:N0} cars × 1 status report / {s.NormalInterval.TotalSeconds:F0} s = {s.NormalRate:N0}/s sent by {s.NormalCars:N0} connected cars, each every {s.NormalCarInterval.TotalSeconds:F1} s"));
        Console.WriteLine($"  warming up for {s.Warmup.TotalSeconds:F0} s (the first message of each stolen car opens its case), then measuring {s.Duration.TotalSeconds:F0} s");

        var load = await SocLoad.RunAsync(s, theftCars, normalCars, theftStats, normalStats, streams, pitwall.Id, Console.Out);
        var serverRssKb = ProcStats.RssKb(pitwall.Id);
        var openFiles = ProcStats.OpenFiles(pitwall.Id);
        var carFailures = theftCars.Concat(normalCars).Where(c => c.Failure is not null).Select(c => $"{c.Vin}: {c.Failure}").ToList();
        var streamFailures = streams.Where(e => e.Failure is not null).Select(e => e.Failure!).ToList();
        var theftAcked = theftCars.Sum(c => c.Acked);
        var theftSent = theftCars.Sum(c => c.Sent);
        var streamCounts = streams.Select(e => new { e.TrackingEvents, e.CasesOpened, e.Duplicates, e.OtherEvents }).ToList();
        foreach (var stream in streams)
        {
            stream.Dispose();
        }
        foreach (var car in theftCars.Concat(normalCars))
        {
            car.Dispose();
        }
        pitwall.Kill();
        var (cases, trackingRows) = CountStored(database);

        return await ReportAsync(s, ownerCount, load, new
        {
            serverRssKb, openFilesBefore, openFiles, carFailures = carFailures.Count, carFailureSamples = carFailures.Take(10).ToList(), streamFailures, streamCounts,
            theftFramesSent = theftSent, theftFramesAcked = theftAcked, casesStored = cases, trackingRowsStored = trackingRows, quietBefore,
        }, carFailures.Count + streamFailures.Count, cases, trackingRows, theftAcked);
    }

    internal static async Task<LinkCar[]> ConnectAsync(
        Uri server, HttpClient http, HttpMessageInvoker invoker, int first, int count, string fleetSecret, LinkStats stats, string what)
    {
        var cars = new LinkCar[count];
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var connected = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = timeout.Token }, async (i, ct) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    cars[i] = await LinkCar.ConnectAsync(server, http, invoker, first + i, fleetSecret, stats, ct);
                    if (Interlocked.Increment(ref connected) % 5000 == 0)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {connected:N0} of {count:N0} connected …"));
                    }
                    return;
                }
                catch (Exception e) when (attempt < 5 && e is not OperationCanceledException)
                {
                    await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
                }
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count:N0} {what} connected in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
        return cars;
    }

    /// <summary>After the server was killed: the cases and tracking messages the database holds.</summary>
    private static (long Cases, long TrackingRows) CountStored(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        long Count(string table)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)command.ExecuteScalar()!;
        }
        return (Count("theft_cases"), Count("theft_tracking"));
    }

    private static async Task<int> ReportAsync(SocSettings s, int ownerCount, SocLoadResult load, object details, int brokenLinks, long cases, long trackingRows, long theftAcked)
    {
        string Ms(Percentiles p) => p.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{p.P50:F1} / {p.P90:F1} / {p.P99:F1} / {p.Max:F1} ms");
        string Hist(LatencyHistogram h) => h.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{h.Percentile(0.5):F1} / {h.Percentile(0.99):F1} ms");
        string F(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
        var latency = load.Latency;
        List<string[]> rows =
        [
            ["tracking messages sent in the window (cars in theft mode)", F($"{load.TrackingSent:N0} = {load.TrackingSent / load.Seconds:N1}/s by {s.TheftCars:N0} cars")],
            ["feed latency p50 / p90 / p99 / max (car sends frame → soc.tracking event read from the SSE stream)", Ms(latency)],
            ["events lost (no matching event within the grace time)", F($"{load.Lost:N0} of {load.TrackingSent * s.Operators:N0} ({s.Grace.TotalSeconds:F0} s grace)")],
            ["tracking frames: ack p50 / p99 (frame → ack, i.e. committed)", Hist(load.TheftAckLatency)],
            ["normal status reports sent / acked in the window", F($"{load.NormalSent:N0} / {load.NormalAcked:N0} = {load.NormalSent / load.Seconds:N0}/s / {load.NormalAcked / load.Seconds:N0}/s (target {s.NormalRate:N0}/s)")],
            ["normal status reports: ack p50 / p99", Hist(load.NormalAckLatency)],
            ["latency p99 / max per 10 s of the window", string.Join("; ", load.Timeline.Select(t => F($"{t.P99:F0}/{t.Max:F0}")))],
            // Per process from /proc/<pid>/stat; /proc/stat's machine-wide figure (in the JSON) misses busy time on this VM.
            ["CPU: Pitwall / this client (cars + consoles) / other processes", F($"{load.ServerCores:F2} / {load.ClientCores:F2} / {load.OtherCores:F2} cores{(load.OtherCores > 0.2 ? " (WARNING: other load)" : "")}")],
            ["load average (1 min) at the start / end of the window", F($"{load.LoadBefore} / {load.LoadAfter}")],
            ["stored: cases / tracking messages (acked)", F($"{cases:N0} / {trackingRows:N0} ({theftAcked:N0})")],
        ];
        Console.WriteLine();
        Console.WriteLine(F($"Theft tracking to the SOC console: {s.TheftCars:N0} cars in theft mode every {s.TrackingInterval.TotalSeconds:F0} s, {s.FleetEquivalent:N0} cars' normal reports ({s.NormalRate:N0}/s) from {s.NormalCars:N0} connected cars, {s.Operators} operator feed(s) ({Environment.ProcessorCount} cores; warm-up {s.Warmup.TotalSeconds:F0} s, measured {load.Seconds:F0} s; target p99 ≤ {TargetP99Ms:F0} ms)"));
        Table.Print(["measurement", "value"], rows);
        if (load.OtherCores > 0.2)
        {
            Console.WriteLine(F($"WARNING: {load.OtherCores:F2} cores went to other processes while measuring; the latencies overstate this machine's. Re-run on a quiet machine."));
        }
        var met = latency.Count > 0 && latency.P99 <= TargetP99Ms && load.Lost == 0;
        var underRate = load.NormalAcked / load.Seconds < s.NormalRate * 0.98;
        Console.WriteLine(latency.Count == 0
            ? "No tracking event arrived in the measuring window."
            : F($"Feed latency p99 {latency.P99:F1} ms {(met ? "meets" : "misses")} the ≤ {TargetP99Ms:F0} ms target ({load.Lost} lost); p50 {latency.P50:F1} ms.{(underRate ? " BUT the server did not keep up with the normal load." : "")}"));
        var problem = load.Lost > 0 || brokenLinks > 0 || latency.Count == 0 || underRate;
        if (problem)
        {
            Console.WriteLine($"PROBLEM: {load.Lost} events lost; {brokenLinks} car links or event streams failed (see the JSON).");
        }
        var results = new Dictionary<string, object?>
        {
            ["machine"] = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() },
            ["settings"] = new
            {
                s.TheftCars, s.NormalCars, owners = ownerCount, s.Operators, trackingIntervalSeconds = s.TrackingInterval.TotalSeconds, s.FleetEquivalent,
                normalIntervalSeconds = s.NormalInterval.TotalSeconds, s.NormalRate, normalCarIntervalSeconds = s.NormalCarInterval.TotalSeconds,
                warmupSeconds = s.Warmup.TotalSeconds, durationSeconds = s.Duration.TotalSeconds, graceSeconds = s.Grace.TotalSeconds,
            },
            ["measured"] = new
            {
                load.Seconds, load.TrackingSent, latencyMs = latency, perOperatorMs = load.PerOperator, load.Lost, load.NormalSent, load.NormalAcked,
                theftAckMs = new { p50 = load.TheftAckLatency.Percentile(0.5), p99 = load.TheftAckLatency.Percentile(0.99) },
                normalAckMs = new { p50 = load.NormalAckLatency.Percentile(0.5), p99 = load.NormalAckLatency.Percentile(0.99) },
                timeline = load.Timeline, load.SendFailures,
            },
            ["cpu"] = new { load.ServerCores, load.ClientCores, load.MachineCores, load.OtherCores, load.LoadBefore, load.LoadAfter },
            ["details"] = details,
        };
        var json = Path.Combine(s.WorkDirectory, F($"soc-results-{s.TheftCars}x{s.NormalCars}-{s.NormalRate:F0}.json"));
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"Results: {json}");
        return problem ? 1 : 0;
    }
}
