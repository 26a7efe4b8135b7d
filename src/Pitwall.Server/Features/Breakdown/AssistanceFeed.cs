using Microsoft.Extensions.Options;
using Pitwall.Server.Cluster;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>Something every assistance agent's console hears about live (SSE <c>/api/v1/assistance/events</c>).</summary>
/// <param name="Type">assistance.case_opened or assistance.case_updated.</param>
internal sealed record AssistanceEvent(string Type, object Data) : IFeedEvent
{
    public string? EventId { get; init; }

    public long Position { get; init; }
}

/// <summary>The agents' live queue, of every instance.</summary>
internal sealed class AssistanceFeed(IClusterBus bus, TimeProvider time, IOptions<ClusterOptions> options)
    : LiveFeed<AssistanceEvent>("assistance", bus, time, options.Value, (e, id, position) => e with { EventId = id, Position = position })
{
    /// <param name="lastEventId">The last event the console saw (SSE <c>Last-Event-ID</c>): what it missed since comes first.</param>
    public Subscription Subscribe(string? lastEventId = null) => Add(new Subscription(), lastEventId);

    internal sealed class Subscription() : FeedSubscription<AssistanceEvent>(1024)
    {
        internal override bool Wants(AssistanceEvent feedEvent) => true;
    }
}
