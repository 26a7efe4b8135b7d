using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Pitwall.Server.Features.LiveEvents;

/// <summary>Something that happened to a vehicle, for the apps listening on <c>/api/v1/events</c>.</summary>
/// <param name="Type">e.g. <c>vehicle.status</c>, <c>vehicle.connection</c>.</param>
/// <param name="Data">The JSON payload of the event.</param>
/// <param name="AccountId">Set for events about an account's access (paired, driver added or removed), which must
/// reach that account even before it follows the vehicle.</param>
public sealed record LiveEvent(string Vin, string Type, object Data, DateTimeOffset At, string? AccountId = null);

/// <summary>
/// In-process fan-out of live events to subscribers. Each subscriber has a bounded queue; a subscriber that does
/// not keep up loses its oldest events rather than slowing the publisher (clients re-read state on reconnect).
/// </summary>
public sealed class LiveEventHub
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public void Publish(LiveEvent liveEvent)
    {
        // The dictionary's own enumerator takes no lock; its Keys would take every lock and copy the keys, per event (several
        // per command: the commands benchmark saw publishers queue on those locks).
        foreach (var (subscription, _) in _subscriptions)
        {
            if (subscription.Wants(liveEvent))
            {
                subscription.Queue.Writer.TryWrite(liveEvent);
            }
        }
    }

    public Subscription Subscribe(string accountId, IEnumerable<string> vins)
    {
        var subscription = new Subscription(this, accountId, vins);
        _subscriptions[subscription] = 0;
        return subscription;
    }

    public sealed class Subscription : IDisposable
    {
        private readonly LiveEventHub _hub;
        private volatile HashSet<string> _vins;

        private readonly string _accountId;

        internal Subscription(LiveEventHub hub, string accountId, IEnumerable<string> vins)
        {
            _hub = hub;
            _accountId = accountId;
            _vins = new HashSet<string>(vins, StringComparer.Ordinal);
        }

        internal Channel<LiveEvent> Queue { get; } = Channel.CreateBounded<LiveEvent>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<LiveEvent> Events => Queue.Reader;

        internal bool Wants(LiveEvent e) => e.AccountId == _accountId || (e.AccountId is null && _vins.Contains(e.Vin));

        /// <summary>When the account gains or loses a vehicle.</summary>
        public void Follow(IEnumerable<string> vins) => _vins = new HashSet<string>(vins, StringComparer.Ordinal);

        public void Dispose()
        {
            _hub._subscriptions.TryRemove(this, out _);
            Queue.Writer.TryComplete();
        }
    }
}
