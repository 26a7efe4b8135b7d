using System.Diagnostics;
using System.Globalization;

namespace Pitwall.Bench;

internal sealed record LoadOptions(
    Uri Server, int Connections, int Window, TimeSpan Warmup, TimeSpan Duration, string FleetSecret, int? ServerPid,
    Action? OnMeasureStart = null, Action? OnMeasureEnd = null, double Rate = 0);

internal sealed record CarOutcome(string Vin, long FirstSeq, long Sent, long Acked, string? Failure);

internal sealed record LoadResult(
    int Connected,
    double ConnectSeconds,
    long ReportsAcked,
    double Seconds,
    double ReportsPerAck,
    double ServerCores,
    double ClientCores,
    double MachineCores,
    double LatencyP50Ms,
    double LatencyP99Ms,
    int FailedCars,
    long UnackedAtEnd,
    double OtherCores,
    IReadOnlyList<CarOutcome> Cars)
{
    public double ReportsPerSecond => ReportsAcked / Seconds;
}

/// <summary>
/// Connects the cars, lets them send for a warm-up, then counts the reports the server acked (= durable for
/// Pitwall) during a fixed measuring time; CPU of the server, of this client and of the machine over the same time.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(LoadOptions options, TextWriter progress)
    {
        var stats = new LoadStats();
        using var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) };
        using var http = new HttpClient(handler) { BaseAddress = options.Server, Timeout = TimeSpan.FromSeconds(60) };
        var cars = new RawCar[options.Connections];
        var connectStarted = Stopwatch.GetTimestamp();
        using (var connectTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Connections),
                new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = connectTimeout.Token },
                async (i, ct) =>
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            cars[i] = await RawCar.ConnectAsync(options.Server, http, i, options.FleetSecret, options.Window, stats, ct);
                            return;
                        }
                        catch (Exception e) when (attempt < 3 && e is not OperationCanceledException)
                        {
                            await Task.Delay(500, ct);
                        }
                    }
                });
        }
        var connectSeconds = Stopwatch.GetElapsedTime(connectStarted).TotalSeconds;
        Interlocked.Exchange(ref stats.FailedCars, 0);
        progress.WriteLine($"  {cars.Length} cars connected in {connectSeconds:F1} s; warming up for {options.Warmup.TotalSeconds:F0} s");

        using var stop = new CancellationTokenSource();
        // With a rate, each car sends once every (cars / rate) seconds: the load below saturation that a real fleet makes.
        var interval = options.Rate > 0 ? TimeSpan.FromSeconds(options.Connections / options.Rate) : (TimeSpan?)null;
        var loops = cars.Select(car => Task.Run(() => car.RunAsync(stop.Token, interval))).ToArray();
        await Task.Delay(options.Warmup);

        var pids = options.ServerPid is { } serverPid ? new[] { Environment.ProcessId, serverPid } : [Environment.ProcessId];
        var cpu = new CpuMeter(pids);
        var other = new OtherLoad();
        var ackedAtStart = Interlocked.Read(ref stats.AckedReports);
        var framesAtStart = Interlocked.Read(ref stats.AckFrames);
        stats.Measuring = true;
        options.OnMeasureStart?.Invoke();
        var started = Stopwatch.GetTimestamp();
        var last = ackedAtStart;
        var lastAt = started;
        var end = started + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            var left = TimeSpan.FromSeconds((end - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            await Task.Delay(left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5));
            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(lastAt, now) < TimeSpan.FromSeconds(1))
            {
                continue;
            }
            var acked = Interlocked.Read(ref stats.AckedReports);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Stopwatch.GetElapsedTime(started).TotalSeconds,5:F1} s  {(acked - last) / Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds,10:N0} reports/s acked  ({Volatile.Read(ref stats.FailedCars)} cars failed)"));
            last = acked;
            lastAt = now;
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var ackedAtEnd = Interlocked.Read(ref stats.AckedReports);
        var framesAtEnd = Interlocked.Read(ref stats.AckFrames);
        var (cores, machineCores) = cpu.Stop();
        // Not ours: other processes seen alive, or, when more, machine CPU minus the server's and this client's
        // (catches short-lived processes such as a parallel build, and kernel threads).
        var otherCores = Math.Max(other.Cores(), machineCores - cores.Sum());
        options.OnMeasureEnd?.Invoke();
        stats.Measuring = false;

        await stop.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        // Everything sent must be acked after a short while: a report that is never acked would be a lost ack.
        await Task.WhenAll(cars.Select(car => car.DrainAsync(TimeSpan.FromSeconds(20))));
        var outcomes = cars.Select(car => new CarOutcome(car.Vin, car.FirstSeq, car.Sent, car.Acked, car.Failure)).ToList();
        foreach (var car in cars)
        {
            car.Dispose();
        }
        var reports = ackedAtEnd - ackedAtStart;
        var ackFrames = framesAtEnd - framesAtStart;
        return new LoadResult(
            cars.Length, connectSeconds, reports, seconds,
            ackFrames == 0 ? 0 : reports / (double)ackFrames,
            cores.Length > 1 ? cores[1] : double.NaN, cores[0], machineCores,
            stats.Latency.Percentile(0.50), stats.Latency.Percentile(0.99),
            outcomes.Count(o => o.Failure is not null),
            outcomes.Sum(o => o.Sent - o.Acked),
            otherCores,
            outcomes);
    }
}
