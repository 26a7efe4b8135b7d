using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Pitwall.Bench.Cluster;

internal sealed record ClusterIngestSettings(
    string WorkDirectory, string ServerDll, string FleetSecret, IReadOnlyList<(int Connections, int Window)> Profiles, TimeSpan Warmup, TimeSpan Duration,
    int Port, IReadOnlyDictionary<string, string> ServerEnvironment, TimeSpan QuietWait);

/// <summary>
/// Issue 19's ingest on PostgreSQL, one instance against three, the profiles of the SQLite benchmark (§1): the cars
/// connect through HAProxy, which sends them all to A (B and C drained), then spreads them over A, B and C (leastconn).
/// A report counts when acked (= committed in PostgreSQL by the instance holding the car). After each run every car's
/// stored high-water mark is checked against what it was acked.
/// </summary>
internal static class ClusterIngestBenchmark
{
    private sealed record Run(string Setup, string Profile, LoadResult Load, double[] Cores, double MachineCores, double OtherCores, string Holders, int CarsBehind);

    public static async Task<int> RunAsync(ClusterIngestSettings s)
    {
        var fleet = s.Profiles.Max(p => p.Connections);
        Console.WriteLine($"PostgreSQL ingest, one instance vs three: starting PostgreSQL ({fleet} cars), nats-server, three instances, HAProxy …");
        using var cluster = await BenchCluster.StartAsync(s.ServerDll, s.WorkDirectory, s.Port, fleet, s.FleetSecret, s.ServerEnvironment);
        var runs = new List<Run>();
        foreach (var (connections, window) in s.Profiles)
        {
            foreach (var (setup, ready) in new[] { ("one instance (A)", new[] { "a" }), ("three instances (A, B, C)", BenchCluster.Names) })
            {
                await cluster.RouteNewConnectionsToAsync(ready);
                var other = await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{setup}, {connections}x{window}: other processes used {other:F2} cores just before; load average {ProcStats.LoadAverage()}"));
                CpuMeter? cpu = null;
                OtherLoad? others = null;
                (double[] Cores, double Machine) measured = ([], 0);
                var otherCores = 0d;
                string holders = "";
                var load = await LoadGenerator.RunAsync(new LoadOptions(cluster.Balancer.Address, connections, window, s.Warmup, s.Duration, s.FleetSecret, null,
                    () =>
                    {
                        cpu = new CpuMeter(pid => pid == Environment.ProcessId ? ProcStats.CpuTime(pid) : ProcStats.TreeCpuTime(pid), [Environment.ProcessId, .. cluster.Pids]);
                        others = new OtherLoad();
                    },
                    () =>
                    {
                        measured = cpu!.Stop();
                        otherCores = Math.Max(others!.Cores(), measured.Machine - measured.Cores.Sum());
                        holders = string.Join(", ", cluster.HoldersAsync([.. Enumerable.Range(0, connections).Select(Fleet.Vin)]).GetAwaiter().GetResult()
                            .Select(h => $"{h.Key} {h.Value}"));
                    }), Console.Out);
                var behind = await CarsBehindAsync(cluster.Postgres.ConnectionString, load);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {load.ReportsPerSecond:N0} reports/s acked; ack p50 / p99 {load.LatencyP50Ms:F0} / {load.LatencyP99Ms:F0} ms; cars held: {holders}; " +
                    $"{load.FailedCars} cars failed, {behind} cars with acked reports not stored"));
                runs.Add(new Run(setup, $"{connections}x{window}", load, measured.Cores, measured.Machine, otherCores, holders, behind));
            }
        }
        return await ReportAsync(s, runs);
    }

    /// <summary>Cars whose stored high-water mark (vehicle_car_marks.last_car_seq) is below the highest seq they were acked.</summary>
    private static async Task<int> CarsBehindAsync(string connectionString, LoadResult load)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT vin, last_car_seq FROM vehicle_car_marks WHERE vin = ANY(@vins)", connection);
        command.Parameters.AddWithValue("vins", load.Cars.Select(c => c.Vin).ToArray());
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored[reader.GetString(0)] = reader.GetInt64(1);
        }
        return load.Cars.Count(c => stored.GetValueOrDefault(c.Vin) < c.Acked);
    }

    private static async Task<int> ReportAsync(ClusterIngestSettings s, List<Run> runs)
    {
        string Cores(Run r) => r.Cores.Length == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture,
            $"{r.Cores.Skip(1).Sum():F2} ({string.Join(" / ", r.Cores.Skip(1).Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))}); client {r.Cores[0]:F2}; other {r.OtherCores:F2}; " +
            $"{(r.Load.ReportsPerSecond > 0 ? 1e6 * r.Cores.Skip(1).Sum() / r.Load.ReportsPerSecond : double.NaN):F0} µs per report");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ingest on PostgreSQL through HAProxy ({Environment.ProcessorCount} cores; warm-up {s.Warmup.TotalSeconds:F0} s, measured {s.Duration.TotalSeconds:F0} s)"));
        Table.Print(["profile / set-up", "reports/s", "ack p50 / p99", "cars held", $"platform CPU, cores ({string.Join(" / ", BenchCluster.PidNames)})", "failed / not stored"],
            [.. runs.Select(r => new[]
            {
                $"{r.Profile}, {r.Setup}", r.Load.ReportsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{r.Load.LatencyP50Ms:F0} / {r.Load.LatencyP99Ms:F0} ms"), r.Holders, Cores(r),
                string.Create(CultureInfo.InvariantCulture, $"{r.Load.FailedCars} / {r.CarsBehind}"),
            })]);
        var json = Path.Combine(s.WorkDirectory, "cluster-ingest-results.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
        {
            machine = new { cores = Environment.ProcessorCount, loadAverage = ProcStats.LoadAverage() },
            settings = new { profiles = s.Profiles.Select(p => $"{p.Connections}x{p.Window}"), warmupSeconds = s.Warmup.TotalSeconds, durationSeconds = s.Duration.TotalSeconds },
            runs = runs.Select(r => new
            {
                r.Setup, r.Profile, r.Load.ReportsPerSecond, r.Load.LatencyP50Ms, r.Load.LatencyP99Ms, r.Load.FailedCars, r.CarsBehind, r.Holders,
                cpu = new { each = r.Cores, r.MachineCores, r.OtherCores },
            }),
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"Results: {json}");
        return runs.Any(r => r.CarsBehind > 0 || r.Load.FailedCars > 0 || r.Load.ReportsAcked == 0) ? 1 : 0;
    }
}
