using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.InteropServices;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Status;

/// <summary>
/// Stores status reports: merges each report's values into the car's latest state (overwrite, no history) and
/// drops what the car's privacy switches forbid before anything is written.
/// </summary>
internal sealed class StatusMessageHandler(
    LiveEventHub hub, RefreshWaiters waiters, UsageStatistics.UsageStatistics usage, IEnumerable<IStatusObserver> observers, Data.Database database,
    Privacy.IServiceAccess access, TimeProvider time) : IVehicleMessageHandler, IVehicleAccessListener
{
    // Latest state per car, owned by the single ingest writer; saves a read per report. Only with SQLite, where this
    // instance is the only writer; with PostgreSQL another instance may have written since. Bounded: when full it
    // starts over, and a miss simply reads the stored row. A batch changes its cars' cached states in place (no copy per
    // report); should its transaction fail, the next batch finds it not committed and forgets those cars' states.
    private const int MaxCachedCars = 20_000;
    private static readonly TimeSpan ImpossibleClockLead = TimeSpan.FromDays(7);
    private readonly ConcurrentDictionary<string, StatusReport> _latest = new(StringComparer.Ordinal);

    // Owned by the ingest writer, which calls PersistAsync and then Committed one batch at a time. One entry per car of the
    // batch, found with one look-up per report (its state, the signals its last report changed, whether the cache has it).
    private readonly Dictionary<string, Written> _written = new(StringComparer.Ordinal);
    private readonly SignalPathSets _paths = new();
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal); // service → reports of the batch that used it
    private readonly List<string> _reportServices = [];
    private readonly List<SignalValue> _kept = [];
    private bool _uncommitted;

    private readonly IStatusObserver[] _observers = [.. observers];
    private readonly bool _useCache = database.Dialect == Data.SqlDialect.Sqlite;

    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.StatusReport;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        if (_uncommitted)
        {
            foreach (var vin in _written.Keys)
            {
                _latest.TryRemove(vin, out _); // changed by a batch that never committed
            }
        }
        _uncommitted = true;
        _used.Clear();
        _written.Clear();
        foreach (var message in messages)
        {
            if (Keep(message) is not { } paths)
            {
                continue; // private mode, switched-off services or nothing known: nothing is stored
            }
            var state = Remember(message.Vin, paths);
            if (state is null)
            {
                state = await StatusStore.FindAsync(connection, transaction, message.Vin) ?? new StatusReport();
                CollectionsMarshal.GetValueRefOrNullRef(_written, message.Vin).State = state;
            }
            foreach (var observer in _observers)
            {
                await observer.ObserveAsync(connection, transaction, message, state, _kept); // before the merge: what the car had
            }
            Merge(state, _kept, message.ReceivedAt);
        }
        await StatusStore.SaveAsync(connection, transaction, States(), time.GetUtcNow());
    }

    /// <summary>Notes the car's report in the batch; gives its state when the batch or the cache has it, else null (read it).</summary>
    private StatusReport? Remember(string vin, string[] paths)
    {
        ref var written = ref CollectionsMarshal.GetValueRefOrAddDefault(_written, vin, out var inBatch);
        written.Paths = paths; // the car's last report in the batch names the changed signals, as before
        if (!inBatch && _useCache && _latest.TryGetValue(vin, out var cached))
        {
            written.State = cached;
            written.Cached = true;
        }
        return written.State;
    }

    private IEnumerable<KeyValuePair<string, StatusReport>> States()
    {
        foreach (var (vin, written) in _written)
        {
            yield return new(vin, written.State!);
        }
    }

    /// <summary>Collects in <see cref="_kept"/> the report's values its switches allow, and notes their services.</summary>
    /// <returns>The kept values' signal paths (shared per distinct list), or null when nothing is kept.</returns>
    private string[]? Keep(InboundMessage message)
    {
        _kept.Clear();
        _reportServices.Clear();
        _paths.Clear();
        var values = message.Envelope.StatusReport.Values;
        for (var i = 0; i < values.Count; i++) // by index: a RepeatedField's enumerator is an iterator object per report
        {
            var value = values[i];
            if (SignalCatalog.Find(value.Id) is not { } signal)
            {
                continue;
            }
            var service = ServiceIds.Of(signal.Service);
            if (!access.ForCarData(service, message.Privacy).Allowed)
            {
                continue;
            }
            _kept.Add(value);
            if (!_reportServices.Contains(service))
            {
                _reportServices.Add(service); // once per report and service
                _used[service] = _used.GetValueOrDefault(service) + 1;
            }
            _paths.Add(value.Id, signal.Path);
        }
        return _paths.Count == 0 ? null : _paths.Paths();
    }

    /// <summary>
    /// Merges the kept values into the car's state: an older value arriving late never overwrites a newer one. The state keeps
    /// values of its own, overwritten in place, rather than the message's: a report's objects then die young, where before
    /// each car's last report stayed referenced until its next one, and the garbage collector copied every car's values
    /// through its generations, in pauses that stopped every car's acks (issue 17).
    /// </summary>
    private static void Merge(StatusReport state, List<SignalValue> kept, DateTimeOffset receivedAt)
    {
        // A stored time this far ahead of the message is impossible (stored before the gate checked times): it must not
        // pin its value for good.
        var impossiblyLate = receivedAt.Add(ImpossibleClockLead).ToUnixTimeMilliseconds();
        var next = 0; // a car sends its signals in the same order report after report: the next one is looked at first
        foreach (var value in kept)
        {
            var at = next < state.Values.Count && state.Values[next].Id == value.Id ? next : IndexOf(state, value.Id);
            next = at + 1;
            if (at < 0)
            {
                state.Values.Add(value.Clone());
            }
            else if (state.Values[at].RecordedAtMs <= value.RecordedAtMs || state.Values[at].RecordedAtMs > impossiblyLate)
            {
                Overwrite(state.Values[at], value);
            }
        }
    }

    /// <summary>
    /// A value that did not change is left as it is: setting a oneof's number or flag boxes it anew, and that box, referenced
    /// from a state that lives for good, is what a young collection has to copy (issue 17).
    /// </summary>
    private static void Overwrite(SignalValue kept, SignalValue value)
    {
        kept.RecordedAtMs = value.RecordedAtMs;
        var same = kept.ValueCase == value.ValueCase;
        switch (value.ValueCase)
        {
            case SignalValue.ValueOneofCase.Number when !same || BitConverter.DoubleToInt64Bits(kept.Number) != BitConverter.DoubleToInt64Bits(value.Number):
                kept.Number = value.Number;
                break;
            case SignalValue.ValueOneofCase.Flag when !same || kept.Flag != value.Flag:
                kept.Flag = value.Flag;
                break;
            case SignalValue.ValueOneofCase.Text when !same || kept.Text != value.Text:
                kept.Text = value.Text;
                break;
            case SignalValue.ValueOneofCase.Unavailable when !same || kept.Unavailable != value.Unavailable:
                kept.Unavailable = value.Unavailable;
                break;
            case SignalValue.ValueOneofCase.Number or SignalValue.ValueOneofCase.Flag or SignalValue.ValueOneofCase.Text
                or SignalValue.ValueOneofCase.Unavailable:
                break; // unchanged
            default:
                kept.ClearValue();
                break;
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        _uncommitted = false;
        var now = time.GetUtcNow();
        if (_useCache)
        {
            var cleared = _latest.Count + _written.Count > MaxCachedCars;
            if (cleared)
            {
                _latest.Clear();
            }
            foreach (var (vin, written) in _written)
            {
                if (cleared || !written.Cached)
                {
                    _latest[vin] = written.State!; // a state taken from the cache was changed in place there
                }
            }
        }
        foreach (var (service, reports) in _used)
        {
            usage.Record(service, UsageStatistics.UsageChannel.Car, reports); // counted once the reports are durable, never twice on a retry
        }
        foreach (var (vin, written) in _written)
        {
            var signals = written.Paths;
            hub.Publish(new LiveEvent(vin, "vehicle.status", new { vin, signals }, now));
        }
        foreach (var message in messages)
        {
            if (message.Envelope.StatusReport.RequestId is { Length: > 0 } requestId)
            {
                waiters.Answered(requestId);
            }
            if (message.Envelope.StatusReport.Privacy is not null)
            {
                hub.Publish(new LiveEvent(message.Vin, "vehicle.privacy", new { vin = message.Vin, privateMode = message.Privacy.PrivateMode }, now));
            }
        }
    }

    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        if (accountId is not null)
        {
            return; // a driver left: the car's state stays for its other users
        }
        // A new owner must never see the previous owner's last position.
        await StatusStore.DeleteAsync(connection, transaction, vin);
        _latest.TryRemove(vin, out _);
    }

    private struct Written
    {
        public StatusReport? State;
        public string[] Paths;
        public bool Cached;
    }

    private static int IndexOf(StatusReport state, uint id)
    {
        for (var i = 0; i < state.Values.Count; i++)
        {
            if (state.Values[i].Id == id)
            {
                return i;
            }
        }
        return -1;
    }
}
