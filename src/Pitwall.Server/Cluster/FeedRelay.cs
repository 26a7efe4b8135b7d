using System.Text.Json;

namespace Pitwall.Server.Cluster;

/// <summary>An event of a live feed, as stamped by <see cref="FeedRelay{T}"/>.</summary>
public interface IFeedEvent
{
    /// <summary>Unique across instances: the SSE <c>id:</c> a client sends back as <c>Last-Event-ID</c>.</summary>
    string? EventId { get; }

    /// <summary>Its place in this instance's recent events (set here, never sent to other instances).</summary>
    long Position { get; }
}

/// <summary>
/// One live feed (the apps' events, the SOC's, the assistance agents') across the instances of the platform (issue 19): every
/// event is given an id, kept for a bounded window so that a client that reconnects with <c>Last-Event-ID</c> gets what it
/// missed, and relayed over NATS to the other instances, whose subscribers hear it as their own. Relaying is best effort, as
/// live events are: a client re-reads state when it reconnects.
/// </summary>
internal sealed class FeedRelay<T> where T : class, IFeedEvent
{
    private readonly Queue<(T Event, long At)> _recent = new();
    private readonly string _subject;
    private readonly IClusterBus _bus;
    private readonly TimeProvider _time;
    private readonly ClusterOptions _options;
    private readonly Func<T, string, long, T> _stamp;
    private readonly Action<T> _fanOut;
    private long _position;
    private long _published;
    // Held for the instance's lifetime, as the feed (a singleton): the NATS client forgets a subscription nobody references.
    private readonly IAsyncDisposable? _subscription;

    /// <param name="name">The feed's name in NATS subjects.</param>
    /// <param name="stamp">A copy of the event with its id and position.</param>
    /// <param name="fanOut">Hands the stamped event to this instance's subscribers.</param>
    public FeedRelay(string name, IClusterBus bus, TimeProvider time, ClusterOptions options, Func<T, string, long, T> stamp, Action<T> fanOut)
    {
        _subject = "pitwall.feed." + name;
        _bus = bus;
        _time = time;
        _options = options;
        _stamp = stamp;
        _fanOut = fanOut;
        if (bus.Enabled)
        {
            _subscription = bus.Subscribe(_subject, data =>
            {
                OnRelayed(data);
                return ValueTask.FromResult<byte[]?>(null);
            });
        }
    }

    public void Publish(T feedEvent)
    {
        var id = $"{_bus.InstanceId}.{Interlocked.Increment(ref _published)}";
        var stamped = Record(feedEvent, id);
        _fanOut(stamped);
        if (_bus.Enabled)
        {
            _ = _bus.PublishAsync(_subject, JsonSerializer.SerializeToUtf8Bytes(new Relayed(id, stamped), JsonSerializerOptions.Web)).AsTask();
        }
    }

    private void OnRelayed(byte[] data)
    {
        var relayed = JsonSerializer.Deserialize<Relayed>(data, JsonSerializerOptions.Web);
        if (relayed?.Event is null || relayed.Id.StartsWith(_bus.InstanceId + ".", StringComparison.Ordinal))
        {
            return; // this instance's own event, back from NATS
        }
        _fanOut(Record(relayed.Event, relayed.Id));
    }

    private T Record(T feedEvent, string id)
    {
        var now = _time.GetTimestamp();
        lock (_recent)
        {
            var stamped = _stamp(feedEvent, id, ++_position);
            _recent.Enqueue((stamped, now));
            while (_recent.Count > _options.ReplayCapacity ||
                   (_recent.TryPeek(out var oldest) && _time.GetElapsedTime(oldest.At, now) > _options.ReplayWindow))
            {
                _recent.Dequeue();
            }
            return stamped;
        }
    }

    /// <summary>
    /// What a subscriber that last saw <paramref name="lastEventId"/> missed, oldest first, and the position up to which the
    /// replay goes (live events at or below it are in the replay). Nothing is replayed for an id no longer (or never) kept.
    /// Call after the subscriber is registered, so that nothing falls between the replay and the live events.
    /// </summary>
    public (IReadOnlyList<T> Missed, long UpTo) After(string? lastEventId, Func<T, bool> wants)
    {
        lock (_recent)
        {
            var missed = new List<T>();
            var found = false;
            foreach (var (recent, _) in _recent)
            {
                if (found && wants(recent))
                {
                    missed.Add(recent);
                }
                found |= recent.EventId == lastEventId;
            }
            return (missed, _position);
        }
    }

    private sealed record Relayed(string Id, T Event);
}
