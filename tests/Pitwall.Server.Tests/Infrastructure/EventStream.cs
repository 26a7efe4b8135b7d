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

    /// <summary>Opens the stream and waits for its <c>ready</c> event, so nothing published afterwards is missed.</summary>
    public static async Task<EventStream> OpenAsync(HttpClient client, string path = "/api/v1/events")
    {
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
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
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancel.Token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                current = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && current == type)
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                if (matches(data))
                {
                    return data;
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
