using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Pitwall.Bench.Soc;

internal sealed record SocLoadResult(
    double Seconds, long TrackingSent, Percentiles Latency, IReadOnlyList<Percentiles> PerOperator, long Lost, long NormalSent, long NormalAcked,
    LatencyHistogram TheftAckLatency, LatencyHistogram NormalAckLatency, IReadOnlyList<Percentiles> Timeline, long SendFailures,
    double ServerCores, double ClientCores, double MachineCores, double OtherCores, string LoadBefore, string LoadAfter);

/// <summary>
/// Both loads at once, open loop from one pacer (about once a millisecond it sends what is due by then): the cars in theft
/// mode round robin at <see cref="SocSettings.TrackingRate"/> (so each sends every tracking interval, spread evenly), the
/// normal cars round robin at <see cref="SocSettings.NormalRate"/>. A tracking frame sent in the measuring window is
/// stamped just before it is serialised; its latency ends when its <c>soc.tracking</c> event is read from each operator's
/// feed. After the window both loads go on until every measured frame's event arrived, or the grace time passed (lost).
/// </summary>
internal sealed class SocLoad
{
    private readonly ConcurrentDictionary<long, long> _measured = new();
    private long _trackingSent;
    private long _sendFailures;

    public static async Task<SocLoadResult> RunAsync(
        SocSettings s, LinkCar[] theftCars, LinkCar[] normalCars, LinkStats theftStats, LinkStats normalStats, SocEventStream[] streams, int serverPid,
        TextWriter progress)
    {
        var load = new SocLoad();
        var startedAtMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var tracking = theftCars.Select(c => new TrackingFrames(c.Index, $"bench-{c.Index:D6}", startedAtMs)).ToArray();
        var normal = new NormalTraffic(normalCars, s.NormalRate);
        var window = new LoadWindow(s.Warmup, s.Duration, s.Grace, serverPid);
        var (start, measureStart, measureEnd, graceEnd) = (window.Start, window.MeasureStart, window.MeasureEnd, window.GraceEnd);
        long theftIssued = 0;
        long normalAckedAtStart = 0, normalAckedAtEnd = 0, normalSentAtStart = 0, normalSentAtEnd = 0;
        var reportAt = start;
        long trackingAtReport = 0, eventsAtReport = 0, normalAtReport = 0, normalAckedAtReport = 0;
        var nextCheck = measureEnd;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            var measuring = window.Measuring(now);
            if (window.Begins(now))
            {
                theftStats.Measuring = normalStats.Measuring = true;
                normalAckedAtStart = Interlocked.Read(ref normalStats.Acked);
                normalSentAtStart = normal.Sent;
            }
            if (window.Ends(now))
            {
                theftStats.Measuring = normalStats.Measuring = false;
                normalAckedAtEnd = Interlocked.Read(ref normalStats.Acked);
                normalSentAtEnd = normal.Sent;
            }
            if (now >= measureEnd && now >= nextCheck)
            {
                if (now >= graceEnd || load.AllArrived(streams))
                {
                    break;
                }
                nextCheck = now + Stopwatch.Frequency / 2;
            }

            var elapsed = (now - start) / (double)Stopwatch.Frequency;
            for (var due = (long)(elapsed * s.TrackingRate); theftIssued < due; theftIssued++)
            {
                var i = (int)(theftIssued % theftCars.Length);
                _ = load.SendTrackingAsync(theftCars[i], tracking[i], measuring);
            }
            normal.Pace(elapsed);

            if (Stopwatch.GetElapsedTime(reportAt, now) >= TimeSpan.FromSeconds(5))
            {
                var seconds = Stopwatch.GetElapsedTime(reportAt, now).TotalSeconds;
                var trackingNow = Interlocked.Read(ref load._trackingSent);
                var eventsNow = streams[0].TrackingEvents;
                var normalNow = normal.Sent;
                var normalAckedNow = Interlocked.Read(ref normalStats.Acked);
                var phase = now < measureStart ? " (warm-up)" : now < measureEnd ? "" : " (waiting for the last events)";
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Stopwatch.GetElapsedTime(start, now).TotalSeconds,5:F0} s  tracking {(trackingNow - trackingAtReport) / seconds,5:N0}/s sent, {(eventsNow - eventsAtReport) / seconds,5:N0}/s on the feed; normal reports {(normalNow - normalAtReport) / seconds,6:N0}/s sent, {(normalAckedNow - normalAckedAtReport) / seconds,6:N0}/s acked; {streams[0].CasesOpened:N0} cases opened{phase}"));
                (trackingAtReport, eventsAtReport, normalAtReport, normalAckedAtReport, reportAt) = (trackingNow, eventsNow, normalNow, normalAckedNow, now);
            }
            await Task.Delay(1);
        }
        window.Finish();

        // Every measured frame against every operator's feed.
        var all = new List<double>();
        var perOperator = new List<Percentiles>();
        var byTenSeconds = new SortedDictionary<long, List<double>>();
        long lost = 0;
        foreach (var stream in streams)
        {
            var mine = new List<double>();
            foreach (var (frame, sentAt) in load._measured)
            {
                if (stream.TryGetArrival(frame, out var at))
                {
                    var ms = Stopwatch.GetElapsedTime(sentAt, at).TotalMilliseconds;
                    mine.Add(ms);
                    var bucket = (long)((sentAt - measureStart) / (double)Stopwatch.Frequency / 10);
                    if (!byTenSeconds.TryGetValue(bucket, out var list))
                    {
                        byTenSeconds[bucket] = list = [];
                    }
                    list.Add(ms);
                }
                else
                {
                    lost++;
                }
            }
            perOperator.Add(Percentiles.Of(mine));
            all.AddRange(mine);
        }
        return new SocLoadResult(
            s.Duration.TotalSeconds, load._measured.Count, Percentiles.Of(all), perOperator, lost, normalSentAtEnd - normalSentAtStart,
            normalAckedAtEnd - normalAckedAtStart, theftStats.AckLatency, normalStats.AckLatency, [.. byTenSeconds.Values.Select(Percentiles.Of)],
            Interlocked.Read(ref load._sendFailures) + normal.Failures, window.ServerCores, window.ClientCores, window.MachineCores, window.OtherCores, window.LoadBefore, window.LoadAfter);
    }

    private bool AllArrived(SocEventStream[] streams) =>
        _measured.Keys.All(frame => streams.All(stream => stream.TryGetArrival(frame, out _)));

    private async Task SendTrackingAsync(LinkCar car, TrackingFrames frames, bool measuring)
    {
        var sent = await car.SendAsync((seq, nowMs) =>
        {
            var envelope = frames.Next(seq, nowMs);
            if (measuring)
            {
                _measured[SocEventStream.Frame(car.Index, seq)] = Stopwatch.GetTimestamp();
            }
            return envelope;
        });
        if (sent is null)
        {
            Interlocked.Increment(ref _sendFailures);
        }
        else
        {
            Interlocked.Increment(ref _trackingSent);
        }
    }
}
