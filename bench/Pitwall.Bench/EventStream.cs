using System.Text.Json;

namespace Pitwall.Bench;

/// <summary>
/// One owner's app listening on <c>GET /api/v1/events</c> (Server-Sent Events), as the app shows a command's outcome:
/// the final <c>vehicle.command</c> events go to the <see cref="CommandTracker"/>, stamped on arrival.
/// </summary>
internal sealed class EventStream : SseStream
{
    private readonly CommandTracker _tracker;
    private long _events;

    private EventStream(CommandTracker tracker) => _tracker = tracker;

    public long Events => Interlocked.Read(ref _events);

    /// <summary>Opens the stream and waits for its <c>ready</c> event (from then on no change is missed).</summary>
    public static Task<EventStream> OpenAsync(HttpClient http, Owner owner, CommandTracker tracker, CancellationToken cancellationToken) =>
        OpenAsync(new EventStream(tracker), http, "/api/v1/events", owner.Bearer, cancellationToken);

    protected override void OnEvent(string type, string data, long at)
    {
        Interlocked.Increment(ref _events);
        if (type != "vehicle.command")
        {
            return;
        }
        using var json = JsonDocument.Parse(data);
        var state = json.RootElement.GetProperty("state").GetString();
        if (CommandTracker.IsFinal(state))
        {
            _tracker.OnFinal(json.RootElement.GetProperty("id").GetString()!, state!, at);
        }
    }
}
