using Microsoft.Extensions.Options;
using Pitwall.Server.Cluster;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>Something the security centre's consoles hear about live (SSE <c>/api/v1/soc/events</c>).</summary>
/// <param name="Type">soc.case_opened, soc.case_updated, soc.tracking or soc.health_check_missed.</param>
/// <param name="AuthorityAccountId">The authority the event's case was handed to, which hears it too; null for the SOC alone.</param>
public sealed record SocEvent(string Type, object Data, string? AuthorityAccountId = null) : IFeedEvent
{
    public string? EventId { get; init; }

    public long Position { get; init; }
}

/// <summary>
/// Role-wide live events, of every instance: every SOC operator hears every case; an authority hears only the cases handed
/// to it. The live events of the apps are per account and vehicle (LiveEventHub); these are per role.
/// </summary>
public sealed class SocFeed(IClusterBus bus, TimeProvider time, IOptions<ClusterOptions> options)
    : LiveFeed<SocEvent>("soc", bus, time, options.Value, (e, id, position) => e with { EventId = id, Position = position })
{
    /// <param name="authorityAccountId">Null for an operator (everything), else only that authority's cases.</param>
    /// <param name="lastEventId">The last event the console saw (SSE <c>Last-Event-ID</c>): what it missed since comes first.</param>
    public Subscription Subscribe(string? authorityAccountId, string? lastEventId = null) => Add(new Subscription(authorityAccountId), lastEventId);

    public sealed class Subscription(string? authorityAccountId) : FeedSubscription<SocEvent>(4096)
    {
        internal override bool Wants(SocEvent feedEvent) => authorityAccountId is null || authorityAccountId == feedEvent.AuthorityAccountId;
    }
}
