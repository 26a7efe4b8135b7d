using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pitwall.Bench.Cluster;

internal sealed record ClusterCommandSettings(
    string WorkDirectory, string ServerDll, string FleetSecret, int Cars, IReadOnlyList<double> Rates, TimeSpan Warmup, TimeSpan Duration,
    TimeSpan Timeout, string Type, int Port, IReadOnlyDictionary<string, string> ServerEnvironment, TimeSpan QuietWait);

/// <summary>
/// Issue 19's command round trip across instances: three instances behind HAProxy on one PostgreSQL and one nats-server.
/// First the one-instance figure: HAProxy sends every connection to A (B and C drained), so cars and owners share A.
/// Then the cars reconnect through HAProxy while only B and C take new connections, and the owners' apps call through
/// HAProxy while only A does: every command is accepted on A, announced over NATS to the instance holding the car, and its
/// outcome comes back to the owner's event stream on A through NATS. Round trip as in <see cref="CommandsBenchmark"/>.
/// </summary>
internal static class ClusterCommandsBenchmark
{
    private const double TargetP99Ms = 50; // issue 19

    public static async Task<int> RunAsync(ClusterCommandSettings s)
    {
        var ownerCount = (s.Cars + Owners.MaxCarsPerOwner - 1) / Owners.MaxCarsPerOwner;
        Console.WriteLine($"Cross-instance commands: {s.Cars} cars of {ownerCount} owners, {s.Type}; starting PostgreSQL, nats-server, three instances, HAProxy …");
        using var cluster = await BenchCluster.StartAsync(s.ServerDll, s.WorkDirectory, s.Port, s.Cars, s.FleetSecret, s.ServerEnvironment);
        await cluster.RouteNewConnectionsToAsync("a");
        var phases = new List<(string Phase, double Rate, CommandLoadResult Load, string Holders)>();

        var (http, handler) = Client(cluster.Balancer.Address, s.Cars, s.Timeout);
        using var streamHandler = new SocketsHttpHandler { MaxConnectionsPerServer = ownerCount };
        using var streamHttp = new HttpClient(streamHandler) { BaseAddress = cluster.Balancer.Address, Timeout = Timeout.InfiniteTimeSpan };
        var cars = await ConnectAsync(cluster.Balancer.Address, http, s);
        var perOwner = Owners.MaxCarsPerOwner;
        var owners = new Owner[ownerCount];
        var step = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, ownerCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (o, ct) =>
        {
            var email = Owners.Email(o);
            using var registered = await http.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Owners.Password, name = $"Bench Owner {o}" }, ct);
            var account = await registered.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (!registered.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Registering {email} failed: {(int)registered.StatusCode} {account}");
            }
            var carsOfOwner = Enumerable.Range(o * perOwner, Math.Max(0, Math.Min(perOwner, s.Cars - o * perOwner))).ToList();
            owners[o] = new Owner(o, email, account.GetProperty("id").ToString(), await Owners.SignInAsync(http, email, ct), carsOfOwner);
        });
        await Parallel.ForEachAsync(owners.SelectMany(o => o.Cars.Select(c => (Owner: o, Car: c))), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (pair, ct) => await Owners.PairAsync(http, pair.Owner, cars[pair.Car], ct));
        Console.WriteLine($"  {ownerCount} owners registered (API), signed in and paired their cars in {step.Elapsed.TotalSeconds:F0} s");
        var tracker = new CommandTracker();
        var streams = new EventStream[ownerCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, ownerCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (o, ct) =>
            streams[o] = await EventStream.OpenAsync(streamHttp, owners[o], tracker, ct));
        var vins = cars.Select(c => c.Vin).ToList();

        try
        {
            var holders = Describe(await cluster.HoldersAsync(vins));
            foreach (var rate in s.Rates)
            {
                phases.Add(("one instance: cars and owners on A", rate, await RunAsync(s, cluster, owners, http, tracker, rate), holders));
            }

            // The cars move to B and C: A drained, they reconnect through HAProxy.
            foreach (var car in cars)
            {
                car.Dispose();
            }
            await cluster.RouteNewConnectionsToAsync("b", "c");
            cars = await ConnectAsync(cluster.Balancer.Address, http, s);
            cluster.Phase = "three";
            // The apps' new connections go to A only; the event streams opened there stay.
            await cluster.RouteNewConnectionsToAsync("a");
            http.Dispose();
            handler.Dispose();
            (http, handler) = Client(cluster.Balancer.Address, s.Cars, s.Timeout);
            holders = Describe(await cluster.HoldersAsync(vins));
            Console.WriteLine($"  cars now held by {holders}; the owners' calls and event streams on a");
            foreach (var rate in s.Rates)
            {
                phases.Add(("three instances: owners on A, cars on B and C", rate, await RunAsync(s, cluster, owners, http, tracker, rate), holders));
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                stream.Dispose();
            }
            foreach (var car in cars)
            {
                car.Dispose();
            }
            http.Dispose();
            handler.Dispose();
        }
        var failedLinks = cars.Count(c => c.Failure is not null) + streams.Count(e => e.Failure is not null);
        return await ReportAsync(s, ownerCount, phases, failedLinks);
    }

    private static (HttpClient Http, SocketsHttpHandler Handler) Client(Uri address, int cars, TimeSpan timeout)
    {
        // A car has at most one command open, so one connection per car means a POST never queues on this side.
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = cars, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) };
        return (new HttpClient(handler) { BaseAddress = address, Timeout = timeout }, handler);
    }

    private static async Task<CommandLoadResult> RunAsync(
        ClusterCommandSettings s, BenchCluster cluster, Owner[] owners, HttpClient http, CommandTracker tracker, double rate)
    {
        var other = await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {rate:N0}/s: warming up {s.Warmup.TotalSeconds:F0} s, measuring {s.Duration.TotalSeconds:F0} s (other processes used {other:F2} cores just before; load average {ProcStats.LoadAverage()})"));
        await cluster.Postgres.ResetStatementsAsync();
        var result = await CommandLoad.RunAsync(new CommandLoadOptions(owners, s.Cars, rate, s.Warmup, s.Duration, s.Timeout, s.Type, cluster.Pids), http, tracker, Console.Out);
        // Where PostgreSQL spent its time during the run (warm-up, measurement and drain).
        var (commands, calls, executionMs, commits) = await cluster.Postgres.TotalsAsync();
        var perCommand = string.Create(CultureInfo.InvariantCulture,
            $"{commands} commands ended since the reset: per command {(double)calls / Math.Max(1, commands):F1} statements, {(double)commits / Math.Max(1, commands):F2} commits, {executionMs / Math.Max(1, commands):F2} ms of statement execution");
        var statements = await cluster.Postgres.TopStatementsAsync(40);
        var file = Path.Combine(s.WorkDirectory, string.Create(CultureInfo.InvariantCulture, $"postgres-statements-{cluster.Phase}-{rate:F0}.txt"));
        await File.WriteAllLinesAsync(file, [perCommand, .. statements]);
        Console.WriteLine($"  PostgreSQL: {perCommand}; top statements by execution time: {file}");
        foreach (var line in statements.Take(5))
        {
            Console.WriteLine("    " + line);
        }
        return result with { PostgresStatementsPerCommand = (double)calls / Math.Max(1, commands), PostgresCommitsPerCommand = (double)commits / Math.Max(1, commands) };
    }

    private static async Task<RawCar[]> ConnectAsync(Uri address, HttpClient http, ClusterCommandSettings s)
    {
        var stats = new LoadStats();
        var cars = new RawCar[s.Cars];
        var started = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await Parallel.ForEachAsync(Enumerable.Range(0, s.Cars), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = timeout.Token }, async (i, ct) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    cars[i] = await RawCar.ConnectAsync(address, http, i, s.FleetSecret, 1, stats, ct);
                    return;
                }
                catch (Exception e) when (attempt < 5 && e is not OperationCanceledException)
                {
                    await Task.Delay(500, ct);
                }
            }
        });
        Console.WriteLine($"  {s.Cars} cars connected through HAProxy in {started.Elapsed.TotalSeconds:F1} s");
        return cars;
    }

    /// <summary>PostgreSQL's cores (the last of <see cref="BenchCluster.Pids"/>, with its backends).</summary>
    private static double PostgresCores(CommandLoadResult load) => load.ServerCoresEach.Count == BenchCluster.PidNames.Length ? load.ServerCoresEach[^1] : double.NaN;

    private static string Describe(IReadOnlyDictionary<string, int> holders) => string.Join(", ", holders.Select(h => $"{h.Key} {h.Value}"));

    private static async Task<int> ReportAsync(
        ClusterCommandSettings s, int ownerCount, List<(string Phase, double Rate, CommandLoadResult Load, string Holders)> phases, int failedLinks)
    {
        string Ms(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        var rows = phases.Select(p =>
        {
            var m = p.Load.Measured;
            var rt = m.RoundTrips();
            var post = m.Posts();
            var each = string.Join(" / ", p.Load.ServerCoresEach.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)));
            return new[]
            {
                p.Phase, string.Create(CultureInfo.InvariantCulture, $"{p.Rate:N0}/s"),
                string.Create(CultureInfo.InvariantCulture, $"{m.Issued / p.Load.Seconds:N1} / {m.Performed / p.Load.Seconds:N1}"),
                $"{Ms(rt.P50)} / {Ms(rt.P90)} / {Ms(rt.P99)} / {Ms(rt.Max)} ms", $"{Ms(post.P50)} / {Ms(post.P99)} ms",
                string.Create(CultureInfo.InvariantCulture, $"{m.Failed + m.Expired + m.TimedOut + m.HttpFailed} / {m.NotIssued}"),
                string.Create(CultureInfo.InvariantCulture, $"{p.Load.ServerCores:F2} ({each}); client {p.Load.ClientCores:F2}; other {p.Load.OtherCores:F2}"),
                m.Performed == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{1000 * p.Load.ServerCores * p.Load.Seconds / m.Performed:F2} ms"),
                m.Performed == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture,
                    $"{1000 * PostgresCores(p.Load) * p.Load.Seconds / m.Performed:F2} ms; {p.Load.PostgresStatementsPerCommand:F1} statements, {p.Load.PostgresCommitsPerCommand:F2} commits"),
            };
        }).ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Commands across instances: {s.Cars} cars of {ownerCount} owners, {s.Type}, open loop; {Environment.ProcessorCount} cores; warm-up {s.Warmup.TotalSeconds:F0} s, measured {s.Duration.TotalSeconds:F0} s; target p99 ≤ {TargetP99Ms:F0} ms"));
        Table.Print(["set-up", "rate", "issued / performed per s", "round trip p50 / p90 / p99 / max", "POST p50 / p99", "not performed / not issued",
            $"platform CPU, cores ({string.Join(" / ", BenchCluster.PidNames)})", "platform CPU per command", "PostgreSQL per command: CPU; statements, commits"], rows);
        var problem = phases.Any(p => p.Load.Measured.Performed == 0 || p.Load.Measured.Failed + p.Load.Measured.Expired + p.Load.Measured.TimedOut + p.Load.Measured.HttpFailed > 0)
                      || failedLinks > 0;
        if (problem)
        {
            Console.WriteLine($"PROBLEM: commands not performed or {failedLinks} broken car links / event streams (see the JSON).");
        }
        var json = Path.Combine(s.WorkDirectory, string.Create(CultureInfo.InvariantCulture, $"cluster-commands-results-{s.Cars}.json"));
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
        {
            machine = new { cores = Environment.ProcessorCount, loadAverage = ProcStats.LoadAverage() },
            settings = new { s.Cars, owners = ownerCount, s.Rates, s.Type, warmupSeconds = s.Warmup.TotalSeconds, durationSeconds = s.Duration.TotalSeconds },
            runs = phases.Select(p => new
            {
                p.Phase, p.Rate, p.Holders, seconds = p.Load.Seconds, roundTripMs = p.Load.Measured.RoundTrips(), postMs = p.Load.Measured.Posts(),
                p.Load.Measured.Issued, p.Load.Measured.Performed, p.Load.Measured.Failed, p.Load.Measured.Expired, p.Load.Measured.TimedOut,
                p.Load.Measured.HttpFailed, p.Load.Measured.NotIssued, cpu = new { p.Load.ServerCores, each = p.Load.ServerCoresEach, p.Load.ClientCores, p.Load.OtherCores, p.Load.MachineCores },
                postgres = new
                {
                    cpuMsPerCommand = p.Load.Measured.Performed == 0 ? double.NaN : 1000 * PostgresCores(p.Load) * p.Load.Seconds / p.Load.Measured.Performed,
                    statementsPerCommand = p.Load.PostgresStatementsPerCommand, commitsPerCommand = p.Load.PostgresCommitsPerCommand,
                },
            }),
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"Results: {json}");
        return problem ? 1 : 0;
    }
}
