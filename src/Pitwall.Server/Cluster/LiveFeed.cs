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
    private readonly ConcurrentDictionary<FeedSubscription<T>, byte> _subscriptions = new();
    private readonly FeedRelay<T> _relay;

    /// <param name="stamp">A copy of the event with its id and position.</param>
    protected LiveFeed(string name, IClusterBus bus, TimeProvider time, ClusterOptions options, Func<T, string, long, T> stamp) =>
        _relay = new FeedRelay<T>(name, bus, time, options, stamp, FanOut);

    public void Publish(T feedEvent) => _relay.Publish(feedEvent);

    private void FanOut(T feedEvent)
    {
        // The dictionary's own enumerator takes no lock; its Keys would take every lock and copy the keys, per event (several
        // per command: the commands benchmark saw publishers queue on those locks).
        foreach (var (subscription, _) in _subscriptions)
        {
            if (subscription.Wants(feedEvent))
            {
                subscription.Queue.Writer.TryWrite(feedEvent);
            }
        }
    }

    /// <summary>Registers the subscriber, then looks up what it missed since <paramref name="lastEventId"/>.</summary>
    protected TSubscription Add<TSubscription>(TSubscription subscription, string? lastEventId) where TSubscription : FeedSubscription<T>
    {
        _subscriptions[subscription] = 0;
        subscription.Removed = () => _subscriptions.TryRemove(subscription, out _);
        (subscription.Missed, subscription.ReplayedUpTo) = _relay.After(lastEventId, subscription.Wants);
        return subscription;
    }
}

/// <summary>One listener of a <see cref="LiveFeed{T}"/>.</summary>
public abstract class FeedSubscription<T>(int capacity) : IDisposable where T : class, IFeedEvent
{
    internal Channel<T> Queue { get; } = Channel.CreateBounded<T>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    internal Action? Removed { get; set; }

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
