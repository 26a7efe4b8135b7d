using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>Something the security centre's consoles hear about live (SSE <c>/api/v1/soc/events</c>).</summary>
/// <param name="Type">soc.case_opened, soc.case_updated, soc.tracking or soc.health_check_missed.</param>
/// <param name="AuthorityAccountId">The authority the event's case was handed to, which hears it too; null for the SOC alone.</param>
public sealed record SocEvent(string Type, object Data, string? AuthorityAccountId = null);

/// <summary>
/// Role-wide live events: every SOC operator hears every case; an authority hears only the cases handed to it. The live
/// events of the apps are per account and vehicle (LiveEventHub); these are per role. In-process, with a bounded queue
/// per subscriber that drops the oldest events of one that does not keep up (consoles re-read the queue on reconnect).
/// </summary>
public sealed class SocFeed
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public void Publish(SocEvent socEvent)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.AuthorityAccountId is null || subscription.AuthorityAccountId == socEvent.AuthorityAccountId)
            {
                subscription.Queue.Writer.TryWrite(socEvent);
            }
        }
    }

    /// <param name="authorityAccountId">Null for an operator (everything), else only that authority's cases.</param>
    public Subscription Subscribe(string? authorityAccountId)
    {
        var subscription = new Subscription(this, authorityAccountId);
        _subscriptions[subscription] = 0;
        return subscription;
    }

    public sealed class Subscription : IDisposable
    {
        private readonly SocFeed _feed;

        internal Subscription(SocFeed feed, string? authorityAccountId)
        {
            _feed = feed;
            AuthorityAccountId = authorityAccountId;
        }

        internal string? AuthorityAccountId { get; }

        internal Channel<SocEvent> Queue { get; } = Channel.CreateBounded<SocEvent>(
            new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<SocEvent> Events => Queue.Reader;

        public void Dispose()
        {
            _feed._subscriptions.TryRemove(this, out _);
            Queue.Writer.TryComplete();
        }
    }
}
