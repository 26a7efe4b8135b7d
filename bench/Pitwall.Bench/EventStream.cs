using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Pitwall.Bench;

/// <summary>
/// One owner's app listening on <c>GET /api/v1/events</c> (Server-Sent Events), as the app shows a command's outcome:
/// the final <c>vehicle.command</c> events go to the <see cref="CommandTracker"/>, stamped on arrival.
/// </summary>
internal sealed class EventStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CommandTracker _tracker;
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _events;
    private string? _failure;

    private EventStream(HttpResponseMessage response, CommandTracker tracker)
    {
        _response = response;
        _tracker = tracker;
    }

    public long Events => Interlocked.Read(ref _events);

    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>Opens the stream and waits for its <c>ready</c> event (from then on no change is missed).</summary>
    public static async Task<EventStream> OpenAsync(HttpClient http, Owner owner, CommandTracker tracker, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
        request.Headers.Authorization = owner.Bearer;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var events = new EventStream(response, tracker);
        try
        {
            response.EnsureSuccessStatusCode();
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            _ = Task.Run(() => events.ReadAsync(stream), CancellationToken.None);
            await events._ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return events;
        }
        catch
        {
            events.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _closed.Cancel();
        _response.Dispose();
    }

    private async Task ReadAsync(Stream stream)
    {
        try
        {
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(_closed.Token))
            {
                var at = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _events);
                switch (item.EventType)
                {
                    case "ready":
                        _ready.TrySetResult();
                        break;
                    case "vehicle.command":
                        using (var data = JsonDocument.Parse(item.Data))
                        {
                            var state = data.RootElement.GetProperty("state").GetString();
                            if (CommandTracker.IsFinal(state))
                            {
                                _tracker.OnFinal(data.RootElement.GetProperty("id").GetString()!, state!, at);
                            }
                        }
                        break;
                }
            }
            if (!_closed.IsCancellationRequested)
            {
                Fail("the server ended the stream");
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException or JsonException)
        {
            if (!_closed.IsCancellationRequested)
            {
                Fail($"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private void Fail(string reason)
    {
        Interlocked.CompareExchange(ref _failure, reason, null);
        _ready.TrySetException(new InvalidOperationException($"The event stream failed: {reason}"));
    }
}
