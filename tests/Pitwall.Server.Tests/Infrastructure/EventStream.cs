using System.Text.Json;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>An app's live event stream (<c>GET /api/v1/events</c>), read event by event.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    /// <summary>The <c>id:</c> of the event <see cref="NextAsync"/> returned last.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>Opens the stream and waits for its <c>ready</c> event, so nothing published afterwards is missed.</summary>
    /// <param name="lastEventId">Sent as <c>Last-Event-ID</c>, as a browser does when it reconnects.</param>
    public static async Task<EventStream> OpenAsync(HttpClient client, string path = "/api/v1/events", string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var stream = new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        await stream.NextAsync("ready", _ => true);
        return stream;
    }

    /// <summary>Reads until an event of <paramref name="type"/> whose data matches; earlier events are skipped.</summary>
    public async Task<JsonElement> NextAsync(string type, Func<JsonElement, bool> matches, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        string? current = null;
        string? id = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancel.Token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                id = null; // an event ends with an empty line
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line["id: ".Length..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                current = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && current == type)
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                if (matches(data))
                {
                    LastEventId = id;
                    return data;
                }
            }
        }
    }

    /// <summary>Whether a comment line (a heartbeat) comes before any event within <paramref name="timeout"/>.</summary>
    public async Task<bool> CommentWithinAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith(':'))
                {
                    return true;
                }
            }
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
