using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pitwall.Bench;

internal sealed record CommandLoadOptions(
    IReadOnlyList<Owner> Owners, int Cars, double Rate, TimeSpan Warmup, TimeSpan Duration, TimeSpan Timeout, string Type, IReadOnlyList<int> ServerPids);

internal sealed record CommandLoadResult(
    double Seconds, CommandTally Warmup, CommandTally Measured, long StillOpen, int UnclaimedEvents,
    double ServerCores, double ClientCores, double MachineCores, double OtherCores, long Origin)
{
    /// <summary>Cores of each of <see cref="CommandLoadOptions.ServerPids"/> (with their descendants), in that order.</summary>
    public IReadOnlyList<double> ServerCoresEach { get; init; } = [];

    /// <summary>On PostgreSQL (the cluster benchmark): statements and commits per command ended, warm-up and drain included.</summary>
    public double PostgresStatementsPerCommand { get; init; }

    public double PostgresCommitsPerCommand { get; init; }

    /// <summary>This client's own collections in the window (gen 0 / 1 / 2) and whether its no-GC region held (<see cref="ClientCollections"/>).</summary>
    public (int Gen0, int Gen1, int Gen2, bool Held) ClientCollections { get; init; }
}

/// <summary>
/// The apps' side of the command round trip, open loop: R commands per second, each to the next car that has none open
/// (round robin over the owners, so consecutive commands go to different accounts). A command's round trip runs from
/// just before its POST is sent until its owner's event stream says it was performed.
/// </summary>
internal sealed class CommandLoad
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly CommandLoadOptions _options;
    private readonly HttpClient _http;
    private readonly CommandTracker _tracker;
    private readonly Owner[] _ownerOfCar;
    private readonly ConcurrentQueue<int> _idle = new();
    private readonly byte[] _body;
    private long _open;
    private long _performed;

    private CommandLoad(CommandLoadOptions options, HttpClient http, CommandTracker tracker)
    {
        _options = options;
        _http = http;
        _tracker = tracker;
        _ownerOfCar = new Owner[options.Cars];
        foreach (var owner in options.Owners)
        {
            foreach (var car in owner.Cars)
            {
                _ownerOfCar[car] = owner;
            }
        }
        var rounds = options.Owners.Max(o => o.Cars.Count);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var owner in options.Owners.Where(o => round < o.Cars.Count))
            {
                _idle.Enqueue(owner.Cars[round]);
            }
        }
        _body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = options.Type }));
    }

    public static async Task<CommandLoadResult> RunAsync(CommandLoadOptions options, HttpClient http, CommandTracker tracker, TextWriter progress)
    {
        var load = new CommandLoad(options, http, tracker);
        var warmup = new CommandTally();
        var measured = new CommandTally();
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var measureEnd = measureStart + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        CpuMeter? cpu = null;
        OtherLoad? other = null;
        long issued = 0, issuedAtReport = 0, performedAtReport = 0;
        var reportAt = start;
        ClientCollections? collections = null;
        // The client's collection and the start of its no-GC region stop its cars and apps for up to half a second (a 2-GiB
        // region is committed), and the commands due meanwhile then go out at once: early enough that this burst has drained
        // before the window.
        var quietAt = Math.Max(start, measureStart - 3 * Stopwatch.Frequency);
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= measureEnd)
            {
                break;
            }
            if (collections is null && now >= quietAt)
            {
                collections = ClientCollections.Quiet();
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Stopwatch.GetElapsedTime(start).TotalSeconds,5:F1} s  the client collected and entered its no-GC region in {Stopwatch.GetElapsedTime(now).TotalMilliseconds:F0} ms"));
            }
            var tally = now >= measureStart ? measured : warmup;
            if (tally == measured && cpu is null)
            {
                // The servers with their descendants (PostgreSQL's backends); this process alone, without the servers it started.
                cpu = new CpuMeter(pid => pid == Environment.ProcessId ? ProcStats.CpuTime(pid) : ProcStats.TreeCpuTime(pid), [Environment.ProcessId, .. options.ServerPids]);
                other = new OtherLoad();
            }
            // Open loop: what is due by now is sent now, however the earlier ones are doing.
            var due = (long)((now - start) / (double)Stopwatch.Frequency * options.Rate);
            for (; issued < due; issued++)
            {
                if (load._idle.TryDequeue(out var car))
                {
                    Interlocked.Increment(ref load._open);
                    _ = load.RunOneAsync(car, tally);
                }
                else
                {
                    Interlocked.Increment(ref tally.NotIssued); // every car has a command open: the rate is more than the fleet keeps up with
                }
            }
            if (Stopwatch.GetElapsedTime(reportAt, now) >= TimeSpan.FromSeconds(5))
            {
                var seconds = Stopwatch.GetElapsedTime(reportAt, now).TotalSeconds;
                var performed = Interlocked.Read(ref load._performed);
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Stopwatch.GetElapsedTime(start, now).TotalSeconds,5:F1} s  {(issued - issuedAtReport) / seconds,7:N0} commands/s due, {(performed - performedAtReport) / seconds,7:N0}/s performed, {Interlocked.Read(ref load._open),5} open{(tally == warmup ? " (warm-up)" : "")}"));
                (issuedAtReport, performedAtReport, reportAt) = (issued, performed, now);
            }
            await Task.Delay(1);
        }
        var (cores, machineCores) = cpu is null ? (new double[1 + options.ServerPids.Count], 0d) : cpu.Stop();
        var clientCollections = collections?.End() ?? default;
        var otherCores = Math.Max(other?.Cores() ?? 0, machineCores - cores.Sum());
        var measuredSeconds = Stopwatch.GetElapsedTime(measureStart).TotalSeconds;

        // Nothing new is sent; every open command ends by its timeout.
        var drainEnd = Stopwatch.GetTimestamp() + (long)((options.Timeout.TotalSeconds + 5) * Stopwatch.Frequency);
        while (Interlocked.Read(ref load._open) > 0 && Stopwatch.GetTimestamp() < drainEnd)
        {
            await Task.Delay(50);
        }
        return new CommandLoadResult(
            measuredSeconds, warmup, measured, Interlocked.Read(ref load._open), tracker.Unclaimed, cores.Skip(1).Sum(), cores[0], machineCores, otherCores, start)
        {
            ServerCoresEach = cores[1..],
            ClientCollections = clientCollections,
        };
    }

    private async Task RunOneAsync(int car, CommandTally tally)
    {
        var owner = _ownerOfCar[car];
        var vin = Fleet.Vin(car);
        var started = Stopwatch.GetTimestamp();
        long posted = 0;
        string? id = null;
        var outcomeName = "http_failed";
        long done = 0;
        Interlocked.Increment(ref tally.Issued);
        try
        {
            using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/vehicles/{vin}/commands") { Content = new ByteArrayContent(_body) })
            {
                request.Content.Headers.ContentType = Json;
                request.Headers.Authorization = owner.Bearer;
                using var response = await _http.SendAsync(request);
                var body = await response.Content.ReadAsByteArrayAsync();
                tally.Status(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref tally.HttpFailed);
                    return;
                }
                posted = Stopwatch.GetTimestamp();
                tally.Post(Stopwatch.GetElapsedTime(started, posted).TotalMilliseconds);
                using var json = JsonDocument.Parse(body);
                id = json.RootElement.GetProperty("id").GetString()!;
            }
            var left = _options.Timeout - Stopwatch.GetElapsedTime(started);
            CommandOutcome outcome;
            try
            {
                outcome = await _tracker.WaitFor(id).WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                _tracker.Forget(id);
                outcomeName = "timed_out";
                Interlocked.Increment(ref tally.TimedOut);
                return;
            }
            (outcomeName, done) = (outcome.State, outcome.At);
            switch (outcome.State)
            {
                case "performed":
                    tally.RoundTrip(Stopwatch.GetElapsedTime(started, outcome.At).TotalMilliseconds);
                    Interlocked.Increment(ref tally.Performed);
                    Interlocked.Increment(ref _performed);
                    break;
                case "expired":
                    Interlocked.Increment(ref tally.Expired);
                    break;
                default:
                    Interlocked.Increment(ref tally.Failed);
                    break;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException or KeyNotFoundException)
        {
            tally.Status(e.GetType().Name);
            Interlocked.Increment(ref tally.HttpFailed);
        }
        finally
        {
            CommandTimeline.Record(car, id, started, posted, done, outcomeName);
            _idle.Enqueue(car);
            Interlocked.Decrement(ref _open);
        }
    }
}
