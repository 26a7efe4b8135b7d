using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Pitwall.Bench;

/// <summary>
/// A client of one of Pitwall's Server-Sent Events streams: opens it with a bearer token, waits for its <c>ready</c>
/// event (from then on no change is missed), and hands every event (<c>ready</c> included), stamped on arrival, to <see cref="OnEvent"/>.
/// A stream that ends or breaks before it is disposed records why in <see cref="Failure"/>.
/// </summary>
internal abstract class SseStream : IDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpResponseMessage? _response;
    private string? _failure;

    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>Called on the reading task for each event; <paramref name="at"/> is Stopwatch ticks.</summary>
    protected abstract void OnEvent(string type, string data, long at);

    protected static async Task<T> OpenAsync<T>(T events, HttpClient http, string path, AuthenticationHeaderValue bearer, CancellationToken cancellationToken)
        where T : SseStream
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = bearer;
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            events._response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            events._response.EnsureSuccessStatusCode();
            var stream = await events._response.Content.ReadAsStreamAsync(cancellationToken);
            _ = Task.Run(() => events.ReadAsync(stream, path), CancellationToken.None);
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
        _response?.Dispose();
    }

    private async Task ReadAsync(Stream stream, string path)
    {
        try
        {
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(_closed.Token))
            {
                var at = Stopwatch.GetTimestamp();
                if (item.EventType == "ready")
                {
                    _ready.TrySetResult();
                }
                OnEvent(item.EventType, item.Data, at);
            }
            if (!_closed.IsCancellationRequested)
            {
                Fail(path, "the server ended the stream");
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException or JsonException
                                      or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            if (!_closed.IsCancellationRequested)
            {
                Fail(path, $"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private void Fail(string path, string reason)
    {
        Interlocked.CompareExchange(ref _failure, reason, null);
        _ready.TrySetException(new InvalidOperationException($"The event stream {path} failed: {reason}"));
    }
}
