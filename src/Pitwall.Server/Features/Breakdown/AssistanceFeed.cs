using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>Something every assistance agent's console hears about live (SSE <c>/api/v1/assistance/events</c>).</summary>
/// <param name="Type">assistance.case_opened or assistance.case_updated.</param>
internal sealed record AssistanceEvent(string Type, object Data);

/// <summary>The agents' live queue: in-process, a bounded queue per console that drops its oldest events when it does not keep up
/// (a console re-reads the queue on reconnect).</summary>
internal sealed class AssistanceFeed
{
    private readonly ConcurrentDictionary<Channel<AssistanceEvent>, byte> _subscribers = new();

    public void Publish(AssistanceEvent assistanceEvent)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Writer.TryWrite(assistanceEvent);
        }
    }

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<AssistanceEvent>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers[channel] = 0;
        return new Subscription(this, channel);
    }

    internal sealed class Subscription(AssistanceFeed feed, Channel<AssistanceEvent> channel) : IDisposable
    {
        public ChannelReader<AssistanceEvent> Events => channel.Reader;

        public void Dispose()
        {
            feed._subscribers.TryRemove(channel, out _);
            channel.Writer.TryComplete();
        }
    }
}
