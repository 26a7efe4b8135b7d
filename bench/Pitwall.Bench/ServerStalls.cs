using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Pitwall.Bench;

/// <summary>
/// Inside the instrumented server, between the benchmark's "window" and "window-end" (the measuring window): where a report's
/// time between being read and being committed went, and what stopped the server meanwhile — the ingest batches' phases
/// (queue wait, statements, COMMIT, the way back), the SQLite writer's group commits and WAL checkpoints (from Pitwall's own
/// instruments) and the garbage collector's pauses (the runtime's events). Printed as one line at "window-end"; every batch
/// that took longer than <see cref="SlowMs"/> from its oldest report's arrival to its commit is logged with its phases.
/// </summary>
internal sealed class ServerStalls : IDisposable
{
    public const string Prefix = "ingest-stalls ";
    private const double SlowMs = 50;

    private readonly Lock _lock = new();
    private readonly MeterListener _meters = new();
    private readonly GcPauses _gc;
    private bool _open;
    private readonly long[] _ageMs = new long[5001]; // per report, from being read to its batch's commit: 1 ms buckets
    private long _batches;
    private double _waitMax, _persistMax, _commitMax, _backMax;
    private long _commitOver20, _waitOver50;
    private readonly Dictionary<string, (long Count, double Total, double Max, long Over20)> _timed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _counted = new(StringComparer.Ordinal);

    public ServerStalls()
    {
        _gc = new GcPauses(this);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is "pitwall.db.writer.batch.duration" or "pitwall.db.checkpoint.duration" or "pitwall.db.checkpoint.pages")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((instrument, seconds, tags, _) =>
        {
            var name = instrument.Name == "pitwall.db.writer.batch.duration" ? "group_commit" : "checkpoint_" + By(tags);
            Timed(name, seconds * 1000);
        });
        _meters.SetMeasurementEventCallback<long>((_, pages, tags, _) => Counted("checkpoint_pages_" + By(tags), pages));
        _meters.Start();
    }

    private static string By(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "by")
            {
                return tag.Value?.ToString() ?? "";
            }
        }
        return "";
    }

    private void Timed(string name, double ms)
    {
        lock (_lock)
        {
            if (!_open)
            {
                return;
            }
            var (count, total, max, over) = _timed.GetValueOrDefault(name);
            _timed[name] = (count + 1, total + ms, Math.Max(max, ms), over + (ms > 20 ? 1 : 0));
        }
    }

    private void Counted(string name, long value)
    {
        lock (_lock)
        {
            if (_open)
            {
                _counted[name] = _counted.GetValueOrDefault(name) + value;
            }
        }
    }

    public void Open()
    {
        lock (_lock)
        {
            _open = true;
            Array.Clear(_ageMs);
            _timed.Clear();
            _counted.Clear();
            _batches = _commitOver20 = _waitOver50 = 0;
            _waitMax = _persistMax = _commitMax = _backMax = 0;
        }
    }

    /// <param name="ages">Each report's time from being read to its batch's commit, ms.</param>
    public void Batch(double waitMs, double persistMs, double commitMs, double backMs, IEnumerable<double> ages)
    {
        lock (_lock)
        {
            if (!_open)
            {
                return;
            }
            _batches++;
            _waitMax = Math.Max(_waitMax, waitMs);
            _persistMax = Math.Max(_persistMax, persistMs);
            _commitMax = Math.Max(_commitMax, commitMs);
            _backMax = Math.Max(_backMax, backMs);
            _commitOver20 += commitMs > 20 ? 1 : 0;
            _waitOver50 += waitMs > 50 ? 1 : 0;
            foreach (var age in ages)
            {
                _ageMs[Math.Clamp((int)age, 0, _ageMs.Length - 1)]++;
            }
        }
        if (waitMs + persistMs + commitMs > SlowMs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"slow-batch at {DateTime.UtcNow:HH:mm:ss.fff} wait={waitMs:F1} persist={persistMs:F1} commit={commitMs:F1} back={backMs:F1} gc_pauses_so_far={_gc.Count}"));
        }
    }

    internal void GcPause(int generation, double ms, double suspendMs, double promotedMb)
    {
        Timed($"gc{generation}", ms);
        Timed("gc_suspend", suspendMs);
        if (ms > 10)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gc-pause at {DateTime.UtcNow:HH:mm:ss.fff} gen{generation} {ms:F1} ms (suspending the threads {suspendMs:F1} ms), promoted {promotedMb:F1} MB"));
        }
    }

    /// <summary>The window's figures as one line: <c>name=value</c> pairs.</summary>
    public string Close()
    {
        lock (_lock)
        {
            _open = false;
            var total = _ageMs.Sum();
            double Percentile(double p)
            {
                var rank = (long)Math.Ceiling(p * total);
                long seen = 0;
                for (var i = 0; i < _ageMs.Length; i++)
                {
                    seen += _ageMs[i];
                    if (seen >= rank && rank > 0)
                    {
                        return i;
                    }
                }
                return 0;
            }
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{Prefix}batches={_batches} age_p50={Percentile(0.5)} age_p99={Percentile(0.99)} age_max={Percentile(1)} wait_max={_waitMax:F1} " +
                $"persist_max={_persistMax:F1} commit_max={_commitMax:F1} back_max={_backMax:F1} commit_over20={_commitOver20} wait_over50={_waitOver50}");
            foreach (var (name, (count, sum, max, over)) in _timed.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                line += string.Create(CultureInfo.InvariantCulture, $" {name}=n{count}/sum{sum:F0}/max{max:F1}/over20:{over}");
            }
            foreach (var (name, value) in _counted.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                line += string.Create(CultureInfo.InvariantCulture, $" {name}={value}");
            }
            return line;
        }
    }

    public void Dispose()
    {
        _meters.Dispose();
        _gc.Dispose();
    }

    private static double Payload(EventWrittenEventArgs e, System.Collections.ObjectModel.ReadOnlyCollection<string> names, string name) =>
        names.IndexOf(name) is var at and >= 0 ? Convert.ToDouble(e.Payload![at], CultureInfo.InvariantCulture) : 0;

    /// <summary>The runtime's GC events in this process: each pause from suspending the threads to resuming them.</summary>
    private sealed class GcPauses(ServerStalls owner) : EventListener
    {
        private long _suspendedAt;
        private long _suspendDone;
        private int _generation;
        private double _promotedMb;

        public long Count { get; private set; }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1); // GC
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            switch (e.EventName)
            {
                case "GCStart_V2" when e.PayloadNames?.IndexOf("Depth") is { } at and >= 0:
                    _generation = Convert.ToInt32(e.Payload![at], CultureInfo.InvariantCulture);
                    break;
                case "GCSuspendEEBegin_V1":
                    _suspendedAt = e.TimeStamp.Ticks;
                    break;
                case "GCSuspendEEEnd_V1":
                    _suspendDone = e.TimeStamp.Ticks;
                    break;
                case "GCHeapStats_V2" when e.PayloadNames is { } names:
                    // What this collection kept: promoted out of the generations it collected.
                    _promotedMb = (Payload(e, names, "TotalPromotedSize0") + Payload(e, names, "TotalPromotedSize1") + Payload(e, names, "TotalPromotedSize2")) / 1048576.0;
                    break;
                case "GCRestartEEEnd_V1" when _suspendedAt != 0:
                    Count++;
                    owner?.GcPause(_generation, TimeSpan.FromTicks(e.TimeStamp.Ticks - _suspendedAt).TotalMilliseconds,
                        _suspendDone > _suspendedAt ? TimeSpan.FromTicks(_suspendDone - _suspendedAt).TotalMilliseconds : 0, _promotedMb);
                    _suspendedAt = 0;
                    break;
            }
        }
    }
}
