using Microsoft.Extensions.Options;
using Pitwall.Server.Cluster;

namespace Pitwall.Server.Features.LiveEvents;

/// <summary>Something that happened to a vehicle, for the apps listening on <c>/api/v1/events</c>.</summary>
/// <param name="Type">e.g. <c>vehicle.status</c>, <c>vehicle.connection</c>.</param>
/// <param name="Data">The JSON payload of the event.</param>
/// <param name="AccountId">Set for events about an account's access (paired, driver added or removed), which must
/// reach that account even before it follows the vehicle.</param>
public sealed record LiveEvent(string Vin, string Type, object Data, DateTimeOffset At, string? AccountId = null) : IFeedEvent
{
    public string? EventId { get; init; }

    public long Position { get; init; }
}

/// <summary>The apps' live events, per account and vehicle, of every instance.</summary>
public sealed class LiveEventHub(IClusterBus bus, TimeProvider time, IOptions<ClusterOptions> options)
    : LiveFeed<LiveEvent>("events", bus, time, options.Value, (e, id, position) => e with { EventId = id, Position = position })
{
    /// <param name="lastEventId">The last event the client saw (SSE <c>Last-Event-ID</c>): what it missed since comes first.</param>
    public Subscription Subscribe(string accountId, IEnumerable<string> vins, string? lastEventId = null) =>
        Add(new Subscription(accountId, vins), lastEventId);

    /// <summary>An event for an account is found under the account's id, any other under its VIN (the two never look alike).</summary>
    protected override string? KeyOf(LiveEvent feedEvent) => feedEvent.AccountId ?? feedEvent.Vin;

    public sealed class Subscription(string accountId, IEnumerable<string> vins) : FeedSubscription<LiveEvent>(256)
    {
        private volatile HashSet<string> _vins = new(vins, StringComparer.Ordinal);

        internal override bool Wants(LiveEvent e) => e.AccountId == accountId || (e.AccountId is null && _vins.Contains(e.Vin));

        internal override IReadOnlySet<string> Keys() => new HashSet<string>(_vins.Append(accountId), StringComparer.Ordinal);

        /// <summary>When the account gains or loses a vehicle.</summary>
        public void Follow(IEnumerable<string> vins)
        {
            _vins = new HashSet<string>(vins, StringComparer.Ordinal);
            Rekey?.Invoke();
        }
    }
}
