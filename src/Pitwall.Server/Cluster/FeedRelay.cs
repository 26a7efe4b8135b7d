using System.Buffers;
using System.Text;
using System.Text.Json;
using Pitwall.Server.Hosting;

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
    // What is kept and relayed: the event as JSON, written by one writer per thread (no buffer per event).
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_json;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private readonly Lock _lock = new();
    private readonly ReplayRing _kept;
    private readonly string _subject;
    private readonly IClusterBus _bus;
    private readonly TimeProvider _time;
    private readonly ClusterOptions _options;
    private readonly Func<T, string, long, T> _stamp;
    private readonly Func<T, string?> _keyOf;
    private readonly Action<T> _fanOut;
    private long _position;
    private long _published;
    // Held for the instance's lifetime, as the feed (a singleton): the NATS client forgets a subscription nobody references.
    private readonly IAsyncDisposable? _subscription;

    /// <param name="name">The feed's name in NATS subjects.</param>
    /// <param name="stamp">A copy of the event with its id and position.</param>
    /// <param name="keyOf">The key under which the feed finds the subscribers that may want the event (null: none).</param>
    /// <param name="fanOut">Hands the stamped event to this instance's subscribers.</param>
    public FeedRelay(string name, IClusterBus bus, TimeProvider time, ClusterOptions options, Func<T, string, long, T> stamp,
        Func<T, string?> keyOf, Action<T> fanOut)
    {
        _subject = "pitwall.feed." + name;
        _bus = bus;
        _time = time;
        _options = options;
        _stamp = stamp;
        _keyOf = keyOf;
        _fanOut = fanOut;
        _kept = new ReplayRing(options.ReplayCapacity, options.ReplayBytes);
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
        var json = Serialize(new Relayed(id, feedEvent));
        var stamped = Record(feedEvent, id, json);
        var relayed = _bus.Enabled ? json.ToArray() : null;
        _fanOut(stamped);
        if (relayed is not null)
        {
            _ = _bus.PublishAsync(_subject, relayed).AsTask();
        }
    }

    private void OnRelayed(byte[] data)
    {
        var relayed = JsonSerializer.Deserialize<Relayed>(data, ApiJson.Options);
        if (relayed?.Event is null || relayed.Id.StartsWith(_bus.InstanceId + ".", StringComparison.Ordinal))
        {
            return; // this instance's own event, back from NATS
        }
        _fanOut(Record(relayed.Event, relayed.Id, data));
    }

    private T Record(T feedEvent, string id, ReadOnlySpan<byte> json)
    {
        var now = _time.GetTimestamp();
        var keyHash = ReplayRing.KeyHashOf(_keyOf(feedEvent));
        Span<byte> idBytes = id.Length <= 128 ? stackalloc byte[3 * 128] : new byte[Encoding.UTF8.GetMaxByteCount(id.Length)];
        idBytes = idBytes[..Encoding.UTF8.GetBytes(id, idBytes)];
        lock (_lock)
        {
            var stamped = _stamp(feedEvent, id, ++_position);
            _kept.Add(_position, now, keyHash, idBytes, json);
            _kept.RemoveOlderThan(_time, now, _options.ReplayWindow);
            return stamped;
        }
    }

    /// <summary>
    /// What a subscriber that last saw <paramref name="lastEventId"/> missed, oldest first, and the position up to which the
    /// replay goes (live events at or below it are in the replay). Nothing is replayed for an id no longer (or never) kept.
    /// Call after the subscriber is registered, so that nothing falls between the replay and the live events.
    /// </summary>
    /// <param name="keys">The subscriber's keys (see <see cref="LiveFeed{T}"/>); null: it may want any event.</param>
    public (IReadOnlyList<T> Missed, long UpTo) After(string? lastEventId, Func<T, bool> wants, IReadOnlySet<string>? keys)
    {
        List<ReplayRing.Kept> kept;
        long upTo;
        var id = Encoding.UTF8.GetBytes(lastEventId ?? "");
        HashSet<int>? keyHashes = keys is null ? null : [.. keys.Select(ReplayRing.KeyHashOf)];
        lock (_lock)
        {
            kept = lastEventId is null ? [] : _kept.After(id, keyHashes);
            upTo = _position;
        }
        // Read back outside the lock: a long replay must not hold up the publishers.
        var missed = new List<T>();
        foreach (var (position, json) in kept)
        {
            if (JsonSerializer.Deserialize<Relayed>(json, ApiJson.Options) is { Event: not null } relayed &&
                _stamp(relayed.Event, relayed.Id, position) is var stamped && wants(stamped))
            {
                missed.Add(stamped);
            }
        }
        return (missed, upTo);
    }

    /// <summary>The event and its id as JSON, as relayed to the other instances; valid until this thread's next call.</summary>
    private static ReadOnlySpan<byte> Serialize(Relayed relayed)
    {
        var json = t_json ??= new ArrayBufferWriter<byte>(1024);
        json.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder });
        writer.Reset(json);
        JsonSerializer.Serialize(writer, relayed, ApiJson.Options);
        writer.Flush();
        return json.WrittenSpan;
    }

    private sealed record Relayed(string Id, T Event);
}
