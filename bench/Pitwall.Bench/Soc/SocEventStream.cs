using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Pitwall.Bench.Soc;

/// <summary>
/// One SOC operator's console listening on <c>GET /api/v1/soc/events</c> (Server-Sent Events, the role-wide live feed):
/// every <c>soc.tracking</c> event is stamped on arrival under its car and seq (the VIN and <c>point.seq</c> of the event),
/// so that the benchmark can match it to the moment the car sent that frame.
/// </summary>
internal sealed class SocEventStream : SseStream
{
    private readonly ConcurrentDictionary<long, long> _arrivals = new();
    private long _tracking;
    private long _casesOpened;
    private long _duplicates;
    private long _others;

    public long TrackingEvents => Interlocked.Read(ref _tracking);

    public long CasesOpened => Interlocked.Read(ref _casesOpened);

    /// <summary>A tracking event for a car and seq that had one already.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long OtherEvents => Interlocked.Read(ref _others);

    /// <summary>When (Stopwatch ticks) the tracking event of this frame arrived.</summary>
    public bool TryGetArrival(long frame, out long at) => _arrivals.TryGetValue(frame, out at);

    /// <summary>Forgets the arrivals before a point (frames of the warm-up), so that the table stays small.</summary>
    public void Forget(long frame) => _arrivals.TryRemove(frame, out _);

    /// <summary>A car's frame as one number: fleet index and seq.</summary>
    public static long Frame(int carIndex, long seq) => ((long)carIndex << 32) | seq;

    /// <summary>Opens the stream with the operator's bearer token and waits for its <c>ready</c> event.</summary>
    public static Task<SocEventStream> OpenAsync(HttpClient http, AuthenticationHeaderValue bearer, CancellationToken cancellationToken) =>
        OpenAsync(new SocEventStream(), http, "/api/v1/soc/events", bearer, cancellationToken);

    protected override void OnEvent(string type, string data, long at)
    {
        switch (type)
        {
            case "ready":
                break;
            case "soc.tracking":
                Interlocked.Increment(ref _tracking);
                using (var json = JsonDocument.Parse(data))
                {
                    var vin = json.RootElement.GetProperty("vin").GetString()!;
                    var seq = json.RootElement.GetProperty("point").GetProperty("seq").GetInt64();
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
}
