using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Pitwall.Server.Features.LiveEvents;

/// <summary>Something that happened to a vehicle, for the apps listening on <c>/api/v1/events</c>.</summary>
/// <param name="Type">e.g. <c>vehicle.status</c>, <c>vehicle.connection</c>.</param>
/// <param name="Data">The JSON payload of the event.</param>
public sealed record LiveEvent(string Vin, string Type, object Data, DateTimeOffset At);

/// <summary>
/// In-process fan-out of live events to subscribers. Each subscriber has a bounded queue; a subscriber that does
/// not keep up loses its oldest events rather than slowing the publisher (clients re-read state on reconnect).
/// </summary>
public sealed class LiveEventHub
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public void Publish(LiveEvent liveEvent)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.Wants(liveEvent.Vin))
            {
                subscription.Queue.Writer.TryWrite(liveEvent);
            }
        }
    }

    public Subscription Subscribe(IEnumerable<string> vins)
    {
        var subscription = new Subscription(this, vins);
        _subscriptions[subscription] = 0;
        return subscription;
    }

    public sealed class Subscription : IDisposable
    {
        private readonly LiveEventHub _hub;
        private volatile HashSet<string> _vins;

        internal Subscription(LiveEventHub hub, IEnumerable<string> vins)
        {
            _hub = hub;
            _vins = new HashSet<string>(vins, StringComparer.Ordinal);
        }

        internal Channel<LiveEvent> Queue { get; } = Channel.CreateBounded<LiveEvent>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<LiveEvent> Events => Queue.Reader;

        internal bool Wants(string vin) => _vins.Contains(vin);

        /// <summary>When the account gains or loses a vehicle.</summary>
        public void Follow(IEnumerable<string> vins) => _vins = new HashSet<string>(vins, StringComparer.Ordinal);

        public void Dispose()
        {
            _hub._subscriptions.TryRemove(this, out _);
            Queue.Writer.TryComplete();
        }
    }
}
