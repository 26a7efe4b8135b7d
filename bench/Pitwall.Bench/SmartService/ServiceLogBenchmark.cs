using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Pitwall.Bench.SmartService;

internal sealed record ServiceLogSettings(
    string WorkDirectory, string ServerDll, string FleetSecret, int Cars, int Days, int HistoryDays, int Wave, int Concurrency, int Port,
    IReadOnlyDictionary<string, string> ServerEnvironment, TimeSpan QuietWait);

/// <summary>What one measured day took: the intake (logs sent over open links until all are acked = stored) and the
/// prediction job over every car that sent one; the links' opening and closing are counted apart.</summary>
internal sealed record DayResult(
    int Day, double IntakeSeconds, double IntakeServerCores, double ConnectSeconds, double PredictionSeconds, double PredictionServerCores, long Predicted, double OtherCores)
{
    public double WorkSeconds => IntakeSeconds + PredictionSeconds;
}

/// <summary>
/// The Smart Service's daily load (issue 24, "Speed"; bench/README.md §5): every car of the fleet sends its daily service log
/// (20 components, 5 fault-memory entries) over the real vehicle link to Pitwall in its own process (<c>pitwall serve</c>, SQLite),
/// counted when acked — the platform acks a message only once it is committed — and then the prediction job runs over all of
/// them. The cars (<see cref="Soc.LinkCar"/>) come in waves of <c>--wave</c> open links; opening and closing a wave is timed apart from its logs, as a car
/// sends its daily log over the link it already holds. Beside it, in the same run, the raw insert ceiling: the same rows as
/// plain batched inserts into the same database layout (<see cref="ServiceLogCeiling"/>).
/// </summary>
internal static class ServiceLogBenchmark
{
    public static async Task<int> RunAsync(ServiceLogSettings s)
    {
        if (s.Cars < 1 || s.Days < 1 || s.Wave < 1 || s.Concurrency < 1 || s.HistoryDays < 0)
        {
            await Console.Error.WriteLineAsync("--cars, --days, --wave and --concurrency are at least 1; --history-days at least 0.");
            return 2;
        }
        Directory.CreateDirectory(s.WorkDirectory);
        var server = new PitwallServer(s.ServerDll, s.WorkDirectory);
        Console.WriteLine($"Preparing a database with {s.Cars} registered cars (pitwall admin vehicle-import) …");
        var template = await server.CreateTemplateAsync($"smart-template-{s.Cars}", s.Cars, s.FleetSecret);
        var firstDayMs = DailyLogs.FirstDayMs(TimeProvider.System.GetUtcNow(), s.HistoryDays, s.Days);
        if (s.HistoryDays > 0)
        {
            // One copy with the history, the start of both the end-to-end run and the ceiling.
            var withHistory = Path.Combine(s.WorkDirectory, $"smart-template-{s.Cars}-history-{s.HistoryDays}.db");
            PitwallServer.CopyDatabase(template, withHistory);
            Console.WriteLine($"Filling {s.HistoryDays} days of condition history per car (not timed) …");
            ServiceLogCeiling.FillHistory(withHistory, s.Cars, s.HistoryDays, firstDayMs);
            PitwallServer.Checkpoint(withHistory);
            template = withHistory;
        }
        var path = Path.Combine(s.WorkDirectory, "smart-e2e.db");
        PitwallServer.CopyDatabase(template, path);

        var days = new List<DayResult>();
        for (var day = s.HistoryDays; day < s.HistoryDays + s.Days; day++)
        {
            await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
            var other = new OtherLoad();
            Console.WriteLine($"Day {day}: {s.Cars} cars send their service log, waves of {s.Wave} links …");
            var (intake, intakeCores, connect) = await IntakeAsync(server, s, path, day, firstDayMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  intake {intake:F1} s = {s.Cars / intake:N0} logs/s (server {intakeCores:F2} cores); opening and closing the links {connect:F1} s apart"));
            await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
            var (prediction, predictionCores, predicted) = await PredictionAsync(server, s, path, day);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  prediction {prediction:F1} s for {predicted:N0} cars = {predicted / prediction:N0} cars/s (server {predictionCores:F2} cores)"));
            days.Add(new DayResult(day, intake, intakeCores, connect, prediction, predictionCores, predicted, other.Cores()));
        }

        await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        Console.WriteLine($"Raw insert ceiling: the same rows, plain prepared inserts in batches of {s.Wave} cars …");
        var ceilingPath = Path.Combine(s.WorkDirectory, "smart-ceiling.db");
        PitwallServer.CopyDatabase(template, ceilingPath);
        var ceilingOther = new OtherLoad();
        var ceiling = ServiceLogCeiling.Run(ceilingPath, s.Cars, s.Days, s.Wave, firstDayMs, s.HistoryDays);
        var ceilingBusy = ceilingOther.Cores();

        Print(s, days, ceiling, Math.Max(ceilingBusy, days.Count == 0 ? 0 : days.Max(d => d.OtherCores)));
        var json = Path.Combine(s.WorkDirectory, $"smart-service-results-{s.Cars}.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
        {
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() },
            settings = new { s.Cars, s.Days, s.HistoryDays, s.Wave, s.Concurrency, components = DailyLogs.Components, faults = DailyLogs.Faults },
            days, ceilingSecondsPerDay = ceiling,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Results: {json}");
        return 0;
    }

    private static void Print(ServiceLogSettings s, List<DayResult> days, IReadOnlyList<double> ceiling, double busiest)
    {
        string F(double v, string format = "F1") => v.ToString(format, CultureInfo.InvariantCulture);
        var rows = days.Select((d, i) => new[]
        {
            $"day {d.Day}", F(d.IntakeSeconds), F(s.Cars / d.IntakeSeconds, "N0"), F(ceiling[i]), F(s.Cars / ceiling[i], "N0"),
            (ceiling[i] / d.IntakeSeconds).ToString("P0", CultureInfo.InvariantCulture), F(d.PredictionSeconds), F(d.WorkSeconds),
            $"intake server {F(d.IntakeServerCores, "F2")} cores, prediction {F(d.PredictionServerCores, "F2")} cores; links opened/closed in {F(d.ConnectSeconds)} s",
        }).ToList();
        Console.WriteLine();
        Console.WriteLine($"Smart Service daily work, {s.Cars:N0} cars × 1 log ({DailyLogs.Components} components, {DailyLogs.Faults} faults), " +
                          $"{s.HistoryDays} days of history before ({Environment.ProcessorCount} cores)");
        Table.Print(["day", "intake s", "logs/s", "ceiling s", "ceiling logs/s", "e2e / ceiling", "prediction s", "day's work s", "notes"], rows);
        if (busiest > 0.2)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"WARNING: up to {busiest:F2} cores went to other processes during these measurements; the figures understate this machine."));
        }
    }

    private static Dictionary<string, string> ServerEnvironment(ServiceLogSettings s, bool predict, int cars)
    {
        var environment = new Dictionary<string, string>(s.ServerEnvironment, StringComparer.Ordinal)
        {
            ["Pitwall__SmartService__PredictionEnabled"] = predict ? "true" : "false",
            ["Pitwall__SmartService__PredictionInterval"] = "00:00:05",
            ["Pitwall__SmartService__PredictionBatch"] = Math.Max(1, cars).ToString(CultureInfo.InvariantCulture),
        };
        return environment;
    }

    private static async Task<(double Seconds, double ServerCores, double ConnectSeconds)> IntakeAsync(
        PitwallServer server, ServiceLogSettings s, string path, int day, long firstDayMs)
    {
        using var pitwall = await server.StartAsync(s.Port, path, $"smart-intake-day{day}", ServerEnvironment(s, predict: false, s.Cars));
        var uri = new Uri($"http://127.0.0.1:{s.Port}");
        using var http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromMinutes(2) };
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var stats = new Soc.LinkStats();
        double intake = 0, connect = 0, cpu = 0;
        using var gate = new SemaphoreSlim(s.Concurrency);
        for (var from = 0; from < s.Cars; from += s.Wave)
        {
            var indexes = Enumerable.Range(from, Math.Min(s.Wave, s.Cars - from)).ToList();
            var opened = Stopwatch.GetTimestamp();
            var cars = await Task.WhenAll(indexes.Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    return await Soc.LinkCar.ConnectAsync(uri, http, invoker, i, s.FleetSecret, stats, CancellationToken.None);
                }
                finally
                {
                    gate.Release();
                }
            }));
            connect += Stopwatch.GetElapsedTime(opened).TotalSeconds;
            var logs = indexes.Select(i => DailyLogs.Log(i, day, firstDayMs)).ToList();
            var cpuBefore = ProcStats.CpuTime(pitwall.Id);
            var started = Stopwatch.GetTimestamp();
            var stored = await Task.WhenAll(cars.Select(async (car, i) =>
                await car.SendAsync((seq, now) => new Pitwall.Protocol.V1.Envelope { Seq = (ulong)seq, SentAtMs = now, ServiceLog = logs[i] }) is not null &&
                await car.WaitAllAckedAsync(CancellationToken.None)));
            intake += Stopwatch.GetElapsedTime(started).TotalSeconds;
            cpu += (ProcStats.CpuTime(pitwall.Id) - cpuBefore).TotalSeconds;
            if (stored.Any(ok => !ok))
            {
                throw new InvalidOperationException($"{stored.Count(ok => !ok)} cars' logs were not acked: {cars.First(c => c.Failure is not null).Failure}");
            }
            var closing = Stopwatch.GetTimestamp();
            foreach (var car in cars)
            {
                car.Dispose();
            }
            connect += Stopwatch.GetElapsedTime(closing).TotalSeconds;
        }
        pitwall.Kill(); // every log was acked, so it is committed
        return (intake, cpu / intake, connect);
    }

    /// <summary>Starts Pitwall with the prediction job on; its first run takes every car with a new log. Timed from the run's
    /// start (the health rows' computed_at) until no car is pending.</summary>
    private static async Task<(double Seconds, double ServerCores, long Predicted)> PredictionAsync(PitwallServer server, ServiceLogSettings s, string path, int day)
    {
        await using var reader = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await reader.OpenAsync();
        async Task<long> ScalarAsync(string sql)
        {
            await using var command = reader.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
        }
        var pending = await ScalarAsync("SELECT COUNT(*) FROM service_pending");
        var startedMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        using var pitwall = await server.StartAsync(s.Port, path, $"smart-prediction-day{day}", ServerEnvironment(s, predict: true, s.Cars));
        var cpuBefore = ProcStats.CpuTime(pitwall.Id);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 3600;
        while (await ScalarAsync("SELECT COUNT(*) FROM service_pending") > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100);
        }
        var endMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var cpu = (ProcStats.CpuTime(pitwall.Id) - cpuBefore).TotalSeconds;
        var runStartMs = await ScalarAsync($"SELECT COALESCE(MIN(computed_at), {endMs}) FROM service_health WHERE computed_at >= {startedMs}");
        pitwall.Kill();
        var seconds = Math.Max(0.001, (endMs - runStartMs) / 1000.0);
        return (seconds, cpu / seconds, pending);
    }
}
