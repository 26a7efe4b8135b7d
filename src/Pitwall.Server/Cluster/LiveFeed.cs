using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Pitwall.Server.Cluster;

/// <summary>
/// A live feed's subscribers on this instance, fed with the events of every instance (<see cref="FeedRelay{T}"/>). Each
/// subscriber has a bounded queue; one that does not keep up loses its oldest events rather than slowing the publisher
/// (clients re-read state on reconnect).
/// </summary>
public abstract class LiveFeed<T> where T : class, IFeedEvent
{
    // Subscribers with keys are found through their keys: an instance with thousands of app streams would otherwise ask each
    // of them about every event. Those without keys (a console that sees everything) are asked about every event.
    // Copied on change (subscribers come and go seldom; every event reads it): no enumerator per event.
    private volatile FeedSubscription<T>[] _unkeyed = [];
    private readonly ConcurrentDictionary<string, FeedSubscription<T>[]> _byKey = new(StringComparer.Ordinal);
    private readonly Lock _keying = new();
    private readonly FeedRelay<T> _relay;

    /// <param name="stamp">A copy of the event with its id and position.</param>
    protected LiveFeed(string name, IClusterBus bus, TimeProvider time, ClusterOptions options, Func<T, string, long, T> stamp) =>
        _relay = new FeedRelay<T>(name, bus, time, options, stamp, KeyOf, FanOut);

    public void Publish(T feedEvent) => _relay.Publish(feedEvent);

    /// <summary>The one key under which the subscribers that may want this event are found (null: none of the keyed ones).</summary>
    protected virtual string? KeyOf(T feedEvent) => null;

    private void FanOut(T feedEvent)
    {
        if (KeyOf(feedEvent) is { } key && _byKey.TryGetValue(key, out var keyed))
        {
            foreach (var subscription in keyed)
            {
                Offer(subscription, feedEvent);
            }
        }
        foreach (var subscription in _unkeyed)
        {
            Offer(subscription, feedEvent);
        }
    }

    private static void Offer(FeedSubscription<T> subscription, T feedEvent)
    {
        if (subscription.Wants(feedEvent))
        {
            subscription.Queue.Writer.TryWrite(feedEvent);
        }
    }

    /// <summary>Registers the subscriber, then looks up what it missed since <paramref name="lastEventId"/>.</summary>
    protected TSubscription Add<TSubscription>(TSubscription subscription, string? lastEventId) where TSubscription : FeedSubscription<T>
    {
        if (subscription.Keys() is not null)
        {
            subscription.Rekey = () => Rekey(subscription);
            Rekey(subscription);
            subscription.Removed = () => Unindex(subscription);
        }
        else
        {
            lock (_keying)
            {
                _unkeyed = [.. _unkeyed, subscription];
            }
            subscription.Removed = () =>
            {
                lock (_keying)
                {
                    _unkeyed = [.. _unkeyed.Where(other => other != subscription)];
                }
            };
        }
        (subscription.Missed, subscription.ReplayedUpTo) = _relay.After(lastEventId, subscription.Wants, subscription.Keys());
        return subscription;
    }

    private void Rekey(FeedSubscription<T> subscription)
    {
        lock (_keying)
        {
            if (subscription.IsRemoved)
            {
                return;
            }
            var keys = subscription.Keys() ?? System.Collections.Frozen.FrozenSet<string>.Empty;
            foreach (var gone in subscription.IndexedKeys.Except(keys, StringComparer.Ordinal))
            {
                Remove(gone, subscription);
            }
            foreach (var added in keys.Except(subscription.IndexedKeys, StringComparer.Ordinal))
            {
                _byKey[added] = _byKey.TryGetValue(added, out var others) ? [.. others, subscription] : [subscription];
            }
            subscription.IndexedKeys = keys;
        }
    }

    private void Unindex(FeedSubscription<T> subscription)
    {
        lock (_keying)
        {
            subscription.IsRemoved = true;
            foreach (var key in subscription.IndexedKeys)
            {
                Remove(key, subscription);
            }
            subscription.IndexedKeys = System.Collections.Frozen.FrozenSet<string>.Empty;
        }
    }

    private void Remove(string key, FeedSubscription<T> subscription)
    {
        if (!_byKey.TryGetValue(key, out var others))
        {
            return;
        }
        FeedSubscription<T>[] rest = [.. others.Where(other => other != subscription)];
        if (rest.Length == 0)
        {
            _byKey.TryRemove(key, out _);
        }
        else
        {
            _byKey[key] = rest;
        }
    }
}

/// <summary>One listener of a <see cref="LiveFeed{T}"/>.</summary>
public abstract class FeedSubscription<T>(int capacity) : IDisposable where T : class, IFeedEvent
{
    internal Channel<T> Queue { get; } = Channel.CreateBounded<T>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    internal Action? Removed { get; set; }

    /// <summary>Set by the feed for a subscriber with keys: call when <see cref="Keys"/> changed.</summary>
    internal Action? Rekey { get; set; }

    internal IReadOnlySet<string> IndexedKeys { get; set; } = System.Collections.Frozen.FrozenSet<string>.Empty;

    internal bool IsRemoved { get; set; }

    /// <summary>The keys (see <c>LiveFeed.KeyOf</c>) of every event this subscriber may want; null: ask it about every event.</summary>
    internal virtual IReadOnlySet<string>? Keys() => null;

    /// <summary>The live events as they come (without what <see cref="Missed"/> replays).</summary>
    public ChannelReader<T> Events => Queue.Reader;

    /// <summary>What the client missed since its <c>Last-Event-ID</c>, oldest first.</summary>
    public IReadOnlyList<T> Missed { get; internal set; } = [];

    internal long ReplayedUpTo { get; set; }

    internal abstract bool Wants(T feedEvent);

    /// <summary>What was missed, then the live events, each once.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var missed in Missed)
        {
            yield return missed;
        }
        await foreach (var live in Queue.Reader.ReadAllAsync(cancellationToken))
        {
            if (live.Position > ReplayedUpTo)
            {
                yield return live;
            }
        }
    }

    public void Dispose()
    {
        Removed?.Invoke();
        Queue.Writer.TryComplete();
        GC.SuppressFinalize(this);
    }
}
