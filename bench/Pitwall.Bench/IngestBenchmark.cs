using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Dapper;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;

namespace Pitwall.Bench;

internal sealed record IngestSettings(
    string WorkDirectory, string ServerDll, string FleetSecret, int Connections, int Window, int BatchSize,
    TimeSpan Warmup, TimeSpan Duration, TimeSpan SqliteWarmup, TimeSpan SqliteDuration, int Port, string Only,
    IReadOnlyDictionary<string, string> ServerEnvironment, bool Instrumented, TimeSpan QuietWait, double Rate = 0);

internal sealed record DurabilityCheck(
    int Cars, int CarsBehind, long ReportsAckedButNotStored, int SnapshotsMissing, int SnapshotsNotLatest, long StoredButNotAcked, long NeitherStoredNorAcked);

/// <summary>
/// (1) End-to-end ingest: status reports from simulated cars over real WebSockets to Pitwall (its own process,
/// default settings but the per-car rate limit), counted when acked = committed in SQLite. Reported as a ratio to
/// two ceilings measured in the same run: (b) the same clients against an ack-only Kestrel WebSocket endpoint,
/// (a) the IngestWriter's SQL alone through Pitwall's Database class, in batches shaped like the ones the server
/// wrote in (c) (reports and cars per batch, counted by the instrumented host).
/// </summary>
internal static class IngestBenchmark
{
    private static string RateText(IngestSettings s) =>
        s.Rate > 0 ? string.Create(CultureInfo.InvariantCulture, $", paced at {s.Rate:N0} reports/s (each car every {s.Connections / s.Rate:F2} s)") : "";

    public static async Task<int> RunAsync(IngestSettings s)
    {
        Directory.CreateDirectory(s.WorkDirectory);
        var server = new PitwallServer(s.ServerDll, s.WorkDirectory);
        var profile = $"{s.Connections}x{s.Window}";
        var results = new Dictionary<string, object?>
        {
            ["machine"] = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() },
            ["settings"] = new { s.Connections, s.Window, s.BatchSize, warmupSeconds = s.Warmup.TotalSeconds, durationSeconds = s.Duration.TotalSeconds, s.Instrumented, s.Rate },
        };
        Console.WriteLine($"Preparing a database with {s.Connections} registered cars (pitwall admin vehicle-import) …");
        var template = await server.CreateTemplateAsync($"ingest-template-{s.Connections}", s.Connections, s.FleetSecret);

        LoadResult? endToEnd = null;
        DurabilityCheck? durability = null;
        BatchTotals? batches = null;
        if (Runs(s.Only, "e2e"))
        {
            var path = Path.Combine(s.WorkDirectory, "e2e.db");
            PitwallServer.CopyDatabase(template, path);
            await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
            var host = s.Instrumented ? "Program.BuildApp + batch counters (serve-instrumented)" : "pitwall serve";
            Console.WriteLine($"(c) End to end: {host}, own process; {s.Connections} cars × window {s.Window}{RateText(s)} …");
            BatchTotals latest = BatchTotals.Zero, atStart = BatchTotals.Zero, atEnd = BatchTotals.Zero;
            string? stalls = null;
            using var pitwall = await server.StartAsync(s.Port + 1, path, "pitwall-e2e", s.ServerEnvironment, s.Instrumented,
                line =>
                {
                    latest = BatchTotals.Parse(line) ?? latest;
                    stalls = line.StartsWith(ServerStalls.Prefix, StringComparison.Ordinal) ? line[ServerStalls.Prefix.Length..] : stalls;
                });
            Console.WriteLine($"  server pid {pitwall.Id}");
            endToEnd = await LoadGenerator.RunAsync(
                new LoadOptions(new Uri($"http://127.0.0.1:{s.Port + 1}"), s.Connections, s.Window, s.Warmup, s.Duration, s.FleetSecret, pitwall.Id,
                    () =>
                    {
                        atStart = latest;
                        if (s.Instrumented)
                        {
                            pitwall.WriteLine("window");
                        }
                    },
                    () =>
                    {
                        atEnd = latest;
                        if (s.Instrumented)
                        {
                            pitwall.WriteLine("window-end");
                        }
                    }, s.Rate),
                Console.Out);
            var serverRssKb = ProcStats.RssKb(pitwall.Id);
            // A hard kill: whatever was acked must be in the database all the same.
            pitwall.Kill();
            PrintLoad(endToEnd);
            if (s.Instrumented && atEnd.Batches > atStart.Batches)
            {
                batches = atEnd.Minus(atStart);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  IngestWriter: {batches.Batches / endToEnd.Seconds:N1} batches/s of {batches.ReportsPerBatch:N0} reports from {batches.CarsPerBatch:N0} cars; " +
                    $"{batches.TransactionMsPerBatch:F2} ms per batch inside the transaction ({batches.TransactionUsPerReport:F1} µs per report) = " +
                    $"{batches.TransactionMs / 1000 / endToEnd.Seconds:P0} of the writer's time"));
                var (persist, toCommit, back, between) = batches.PhasesMsPerBatch;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  IngestWriter per batch: status statements {persist:F2} ms, the rest to the end of COMMIT {toCommit:F2} ms, back to the ingest loop {back:F2} ms; " +
                    $"from Committed to the next batch's first statement {between:F2} ms"));
                results["batches"] = new
                {
                    batches.Batches, perSecond = batches.Batches / endToEnd.Seconds, batches.ReportsPerBatch, batches.CarsPerBatch, batches.TransactionMsPerBatch,
                    persistMsPerBatch = batches.PersistMs / batches.Batches, transactionShare = batches.TransactionMs / 1000 / endToEnd.Seconds,
                    batches.TransactionUsPerReport, toCommitMsPerBatch = batches.PhasesMsPerBatch.ToCommit, backMsPerBatch = batches.PhasesMsPerBatch.Back,
                    betweenMsPerBatch = batches.PhasesMsPerBatch.Between,
                };
            }
            if (stalls is not null)
            {
                Console.WriteLine($"  server stalls in the window (ms; age = report read → its batch committed): {stalls}");
            }
            Console.WriteLine($"  server RSS at the end {serverRssKb / 1024.0:F0} MiB; server log: {pitwall.LogPath}");
            durability = await CheckDurabilityAsync(path, endToEnd);
            Console.WriteLine($"  after SIGKILL: {durability.Cars} cars, {durability.CarsBehind} with acked reports missing ({durability.ReportsAckedButNotStored} reports), " +
                              $"{durability.SnapshotsMissing} snapshots missing, {durability.SnapshotsNotLatest} snapshots not of the last acked report; " +
                              $"unacked after the drain: {durability.StoredButNotAcked} stored (ack lost), {durability.NeitherStoredNorAcked} not stored");
            results["endToEnd"] = Summary(endToEnd);
            results["endToEndServerRssKb"] = serverRssKb;
            results["durability"] = durability;
        }

        LoadResult? websocket = null;
        if (Runs(s.Only, "websocket"))
        {
            await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
            Console.WriteLine($"(b) WebSocket ceiling: ack-only Kestrel endpoint (own process, server GC), {s.Connections} cars × window {s.Window} …");
            var (fileName, prefix) = ChildProcess.Self();
            using var ackServer = ChildProcess.Start(fileName, [.. prefix, "ack-server", "--urls", $"http://127.0.0.1:{s.Port}"],
                new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" }, s.WorkDirectory, Path.Combine(s.WorkDirectory, "ack-server.log"));
            await ackServer.WaitHealthyAsync(new Uri($"http://127.0.0.1:{s.Port}/health/live"), TimeSpan.FromSeconds(30));
            Console.WriteLine($"  server pid {ackServer.Id}");
            websocket = await LoadGenerator.RunAsync(
                new LoadOptions(new Uri($"http://127.0.0.1:{s.Port}"), s.Connections, s.Window, s.Warmup, s.Duration, s.FleetSecret, ackServer.Id, Rate: s.Rate), Console.Out);
            PrintLoad(websocket);
            results["websocketCeiling"] = Summary(websocket);
        }

        var sqlite = new List<(string Label, SqliteCeilingResult Result)>();
        if (Runs(s.Only, "sqlite"))
        {
            // The batch shape: as the server wrote them in (c) when known, else full batches over all cars.
            var cars = batches is null ? Math.Min(s.Connections, s.BatchSize) : Math.Clamp((int)Math.Round(batches.CarsPerBatch), 1, s.Connections);
            var reports = batches is null ? Math.Max(s.BatchSize, cars) : Math.Max(cars, (int)Math.Round(batches.ReportsPerBatch));
            var shape = batches is null ? "full batches" : "batches as written in (c)";
            var worst = Math.Min(s.BatchSize, s.Connections);
            var shapes = new List<(string Label, SqliteVariant Variant, int Cars, int Reports)>
            {
                ($"(a) SQLite ceiling, {shape}: {reports} reports / {cars} cars per batch; IngestWriter SQL via Database + Dapper", SqliteVariant.Dapper, cars, reports),
                ($"(a') same batches, same SQL as 2 prepared commands per batch", SqliteVariant.Prepared, cars, reports),
            };
            if (worst != cars || worst != reports)
            {
                shapes.Add(($"(a\") one report per car per batch: {worst} reports / {worst} cars; Dapper", SqliteVariant.Dapper, worst, worst));
            }
            foreach (var (label, variant, carCount, reportCount) in shapes)
            {
                var path = Path.Combine(s.WorkDirectory, "ceiling-sqlite.db");
                PitwallServer.CopyDatabase(template, path);
                await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
                Console.WriteLine($"{label}, {s.SqliteDuration.TotalSeconds:F0} s …");
                var result = await SqliteCeiling.RunAsync(path, variant, carCount, reportCount, s.SqliteWarmup, s.SqliteDuration);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {result.ReportsPerSecond:N0} reports/s ({result.BatchesPerSecond:N1} batches/s, {result.MillisecondsPerBatch:F2} ms per batch of {2 * carCount} statements, {result.Cores:F2} cores; CPU not ours {result.OtherCores:F2} cores)"));
                sqlite.Add((label, result));
            }
            results["sqliteCeiling"] = sqlite.Select(x => new { label = x.Label, x.Result.Variant, x.Result.VinsPerBatch, x.Result.ReportsPerBatch, x.Result.ReportsPerSecond, x.Result.MillisecondsPerBatch, x.Result.Cores, x.Result.OtherCores }).ToList();
        }

        string Ratio(double ceiling) => endToEnd is null || ceiling <= 0 ? "" : (endToEnd.ReportsPerSecond / ceiling).ToString("P0", CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        if (endToEnd is not null)
        {
            rows.Add(["(c) End to end: Pitwall, acked = committed in SQLite", Num(endToEnd.ReportsPerSecond), "100 %", LoadNotes(endToEnd)]);
        }
        foreach (var (label, result) in sqlite)
        {
            rows.Add([label, Num(result.ReportsPerSecond), Ratio(result.ReportsPerSecond),
                string.Create(CultureInfo.InvariantCulture, $"{result.MillisecondsPerBatch:F2} ms/batch of {2 * result.VinsPerBatch} statements, {result.Cores:F2} cores{Busy(result.OtherCores)}")]);
        }
        if (websocket is not null)
        {
            rows.Add(["(b) WebSocket ceiling: ack-only Kestrel endpoint, no storage", Num(websocket.ReportsPerSecond), Ratio(websocket.ReportsPerSecond), LoadNotes(websocket)]);
        }
        Console.WriteLine();
        Console.WriteLine($"Ingest, profile {profile} ({Environment.ProcessorCount} cores; {s.Connections} connections, window {s.Window}; warm-up {s.Warmup.TotalSeconds:F0} s, measured {s.Duration.TotalSeconds:F0} s; target ≥ 50,000 reports/s)");
        Table.Print(["measurement", "reports/s", "e2e / this", "notes"], rows);
        var problem = false;
        var busiest = Math.Max(Math.Max(endToEnd?.OtherCores ?? 0, websocket?.OtherCores ?? 0), sqlite.Count == 0 ? 0 : sqlite.Max(x => x.Result.OtherCores));
        if (busiest > 0.2)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"WARNING: up to {busiest:F2} cores went to other processes (or kernel threads) during these measurements; the figures understate this machine. Re-run on a quiet machine."));
        }
        if (endToEnd is not null)
        {
            var verdict = endToEnd.ReportsPerSecond >= 50_000 ? "meets" : "misses";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"End to end {endToEnd.ReportsPerSecond:N0} reports/s {verdict} the 50,000/s target; Pitwall used {1e6 * endToEnd.ServerCores / endToEnd.ReportsPerSecond:F1} µs of CPU per report."));
            if (endToEnd.FailedCars > 0 || durability is { CarsBehind: > 0 } or { SnapshotsMissing: > 0 } or { SnapshotsNotLatest: > 0 } or { StoredButNotAcked: > 0 } or { NeitherStoredNorAcked: > 0 })
            {
                problem = true;
                Console.WriteLine($"PROBLEM: {endToEnd.FailedCars} cars failed; {durability}");
            }
        }
        var json = Path.Combine(s.WorkDirectory, $"ingest-results-{profile}{(s.Only == "all" ? "" : "-" + s.Only.Replace(',', '+'))}{(s.Rate > 0 ? $"-at{s.Rate:F0}" : "")}.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"Results: {json}");
        return problem ? 1 : 0;
    }

    /// <summary>"all", or one or more of e2e, websocket and sqlite separated by commas.</summary>
    private static bool Runs(string only, string part) => only == "all" || only.Split(',', StringSplitOptions.TrimEntries).Contains(part);

    private static void PrintLoad(LoadResult r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {r.ReportsPerSecond:N0} reports/s acked over {r.Seconds:F1} s; {LoadNotes(r)}; {r.FailedCars} cars failed, {r.UnackedAtEnd} reports unacked after the drain"));

    private static string LoadNotes(LoadResult r) => string.Create(CultureInfo.InvariantCulture,
        $"server {r.ServerCores:F2} cores ({CpuPerReport(r):F1} µs per report), client {r.ClientCores:F2}, machine {r.MachineCores:F2}, other processes {r.OtherCores:F2}{Busy(r.OtherCores)}; " +
        $"{r.ReportsPerAck:F1} reports/ack; ack latency p50 {r.LatencyP50Ms:F1} ms, p99 {r.LatencyP99Ms:F1} ms");

    /// <summary>The server's CPU per acked report: holds when other processes load the machine, where rates do not.</summary>
    private static double CpuPerReport(LoadResult r) => r.ReportsPerSecond <= 0 ? 0 : r.ServerCores * 1e6 / r.ReportsPerSecond;

    private static string Busy(double otherCores) => otherCores > 0.2
        ? string.Create(CultureInfo.InvariantCulture, $" (WARNING: {otherCores:F2} cores used by other processes)")
        : "";

    private static string Num(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static object Summary(LoadResult r) => new
    {
        r.Connected, r.ConnectSeconds, r.ReportsAcked, r.Seconds, r.ReportsPerSecond, r.ReportsPerAck, r.ServerCores, r.ClientCores, r.MachineCores,
        r.LatencyP50Ms, r.LatencyP99Ms, r.FailedCars, r.UnackedAtEnd, r.OtherCores,
        failures = r.Cars.Where(c => c.Failure is not null).Take(10).Select(c => $"{c.Vin}: {c.Failure}").ToList(),
    };

    /// <summary>After the server was killed: every acked report must be in vehicle_link, and each snapshot must be of the last one.</summary>
    private static async Task<DurabilityCheck> CheckDurabilityAsync(string path, LoadResult load)
    {
        await using var database = new Database(Options.Create(new DatabaseOptions { ConnectionString = $"Data Source={path}" }));
        var stored = (await database.ReadAsync(c => c.QueryAsync<(string Vin, long Seq, byte[]? Snapshot)>(
                "SELECT l.vin, l.last_car_seq, s.snapshot FROM vehicle_car_marks l LEFT JOIN vehicle_status s ON s.vin = l.vin", null), CancellationToken.None))
            .ToDictionary(r => r.Vin, StringComparer.Ordinal);
        int behind = 0, missing = 0, notLatest = 0;
        long lost = 0;
        foreach (var car in load.Cars)
        {
            if (!stored.TryGetValue(car.Vin, out var row))
            {
                behind++;
                lost += car.Acked - car.FirstSeq;
                continue;
            }
            if (row.Seq < car.Acked)
            {
                behind++;
                lost += car.Acked - row.Seq;
            }
            if (car.Acked > car.FirstSeq)
            {
                if (row.Snapshot is null)
                {
                    missing++;
                    continue;
                }
                // The odometer encodes the seq of the report it came from (StatusFrames): the snapshot must hold the newest stored report.
                var odometer = StatusReport.Parser.ParseFrom(row.Snapshot).Values.FirstOrDefault(v => v.Id == SignalCatalog.Odometer.Id)?.Number;
                if (odometer is null || (long)Math.Round((odometer.Value - 12_345_000) / 10) != row.Seq)
                {
                    notLatest++;
                }
            }
        }
        long storedNotAcked = 0, neither = 0;
        foreach (var car in load.Cars.Where(c => c.Sent > c.Acked))
        {
            var storedSeq = stored.TryGetValue(car.Vin, out var row) ? row.Seq : 0;
            storedNotAcked += Math.Max(0, Math.Min(car.Sent, storedSeq) - car.Acked);
            neither += car.Sent - Math.Max(car.Acked, Math.Min(car.Sent, storedSeq));
        }
        return new DurabilityCheck(load.Cars.Count, behind, lost, missing, notLatest, storedNotAcked, neither);
    }
}

/// <summary>A plain text table, aligned, for the terminal and for copying into the README.</summary>
internal static class Table
{
    public static void Print(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(IReadOnlyList<string> cells) => "| " + string.Join(" | ", cells.Select((c, i) => i is 1 or 2 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", widths.Select((w, i) => i is 1 or 2 ? new string('-', w + 1) + ":" : new string('-', w + 2))) + "|");
        foreach (var row in rows)
        {
            Console.WriteLine(Line(row));
        }
    }
}
