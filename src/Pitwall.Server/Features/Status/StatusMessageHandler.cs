using System.Collections.Concurrent;
using System.Data.Common;
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

    // Owned by the ingest writer, which calls PersistAsync and then Committed one batch at a time.
    private readonly Dictionary<string, string[]> _changed = new(StringComparer.Ordinal);
    private readonly SignalPathSets _paths = new();
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal); // service → reports of the batch that used it
    private readonly List<string> _reportServices = [];
    private readonly List<SignalValue> _kept = [];
    private readonly Dictionary<string, StatusReport> _written = new(StringComparer.Ordinal);
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
        _changed.Clear();
        _used.Clear();
        _written.Clear();
        foreach (var message in messages)
        {
            if (!Keep(message))
            {
                continue; // private mode, switched-off services or nothing known: nothing is stored
            }
            if (!_written.TryGetValue(message.Vin, out var state))
            {
                state = _useCache && _latest.TryGetValue(message.Vin, out var cached)
                    ? cached
                    : await StatusStore.FindAsync(connection, transaction, message.Vin) ?? new StatusReport();
                _written[message.Vin] = state;
            }
            foreach (var observer in _observers)
            {
                await observer.ObserveAsync(connection, transaction, message, state, _kept); // before the merge: what the car had
            }
            Merge(state, _kept, message.ReceivedAt);
        }
        await StatusStore.SaveAsync(connection, transaction, _written, time.GetUtcNow());
    }

    /// <summary>Collects in <see cref="_kept"/> the report's values its switches allow, and notes their services and paths.</summary>
    private bool Keep(InboundMessage message)
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
        if (_paths.Count == 0)
        {
            return false;
        }
        _changed[message.Vin] = _paths.Paths();
        return true;
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
        foreach (var value in kept)
        {
            var at = IndexOf(state, value.Id);
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
            if (_latest.Count + _written.Count > MaxCachedCars)
            {
                _latest.Clear();
            }
            foreach (var (vin, state) in _written)
            {
                _latest[vin] = state;
            }
        }
        foreach (var (service, reports) in _used)
        {
            usage.Record(service, UsageStatistics.UsageChannel.Car, reports); // counted once the reports are durable, never twice on a retry
        }
        foreach (var (vin, signals) in _changed)
        {
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
