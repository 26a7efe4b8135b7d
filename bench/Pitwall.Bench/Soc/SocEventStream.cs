using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Pitwall.Bench.Soc;

/// <summary>
/// One SOC operator's console listening on <c>GET /api/v1/soc/events</c> (Server-Sent Events, the role-wide live feed):
/// every <c>soc.tracking</c> event is stamped on arrival under its car and seq (the VIN and <c>point.seq</c> of the event),
/// so that the benchmark can match it to the moment the car sent that frame.
/// </summary>
internal sealed class SocEventStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<long, long> _arrivals = new();
    private long _tracking;
    private long _casesOpened;
    private long _duplicates;
    private long _others;
    private string? _failure;

    private SocEventStream(HttpResponseMessage response) => _response = response;

    public long TrackingEvents => Interlocked.Read(ref _tracking);

    public long CasesOpened => Interlocked.Read(ref _casesOpened);

    /// <summary>A tracking event for a car and seq that had one already.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long OtherEvents => Interlocked.Read(ref _others);

    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>When (Stopwatch ticks) the tracking event of this frame arrived.</summary>
    public bool TryGetArrival(long frame, out long at) => _arrivals.TryGetValue(frame, out at);

    /// <summary>Forgets the arrivals before a point (frames of the warm-up), so that the table stays small.</summary>
    public void Forget(long frame) => _arrivals.TryRemove(frame, out _);

    /// <summary>A car's frame as one number: fleet index and seq.</summary>
    public static long Frame(int carIndex, long seq) => ((long)carIndex << 32) | seq;

    /// <summary>Opens the stream with the operator's bearer token and waits for its <c>ready</c> event.</summary>
    public static async Task<SocEventStream> OpenAsync(HttpClient http, AuthenticationHeaderValue bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/soc/events");
        request.Headers.Authorization = bearer;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var events = new SocEventStream(response);
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
                switch (item.EventType)
                {
                    case "ready":
                        _ready.TrySetResult();
                        break;
                    case "soc.tracking":
                        Interlocked.Increment(ref _tracking);
                        using (var data = JsonDocument.Parse(item.Data))
                        {
                            var vin = data.RootElement.GetProperty("vin").GetString()!;
                            var seq = data.RootElement.GetProperty("point").GetProperty("seq").GetInt64();
                            var index = int.Parse(vin.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture); // Fleet.Vin: "PWBENCH" + 10 digits
                            if (!_arrivals.TryAdd(Frame(index, seq), at))
                            {
                                Interlocked.Increment(ref _duplicates);
                            }
                        }
                        break;
                    case "soc.case_opened":
                        Interlocked.Increment(ref _casesOpened);
                        break;
                    default:
                        Interlocked.Increment(ref _others);
                        break;
                }
            }
            if (!_closed.IsCancellationRequested)
            {
                Fail("the server ended the stream");
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException or JsonException
                                      or FormatException or KeyNotFoundException or InvalidOperationException)
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
        _ready.TrySetException(new InvalidOperationException($"The SOC event stream failed: {reason}"));
    }
}
