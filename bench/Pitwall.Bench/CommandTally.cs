using System.Collections.Concurrent;

namespace Pitwall.Bench;

/// <summary>
/// What the commands of one phase (warm-up, or the measuring window) came to, by the time they were issued: outcomes,
/// HTTP statuses of the POSTs, and every latency (a 20-s window at 1 000/s is 20 000 samples, so exact percentiles).
/// </summary>
internal sealed class CommandTally
{
    public long Issued;
    public long NotIssued;
    public long Performed;
    public long Failed;
    public long Expired;
    public long TimedOut;
    public long HttpFailed;
    private readonly Lock _lock = new();
    private readonly List<double> _roundTripMs = [];
    private readonly List<double> _postMs = [];

    /// <summary>HTTP status of each POST ("202"), or the exception's type when there was no answer.</summary>
    public ConcurrentDictionary<string, long> HttpStatuses { get; } = new(StringComparer.Ordinal);

    public void Status(string status) => HttpStatuses.AddOrUpdate(status, 1, (_, n) => n + 1);

    public void RoundTrip(double milliseconds)
    {
        lock (_lock)
        {
            _roundTripMs.Add(milliseconds);
        }
    }

    public void Post(double milliseconds)
    {
        lock (_lock)
        {
            _postMs.Add(milliseconds);
        }
    }

    public Percentiles RoundTrips()
    {
        lock (_lock)
        {
            return Percentiles.Of(_roundTripMs);
        }
    }

    public Percentiles Posts()
    {
        lock (_lock)
        {
            return Percentiles.Of(_postMs);
        }
    }
}

/// <summary>Nearest-rank percentiles of a set of latencies in milliseconds (NaN without samples).</summary>
internal sealed record Percentiles(int Count, double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double fraction) => sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(sorted.Length * fraction) - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.90), At(0.99), sorted.Length == 0 ? double.NaN : sorted[^1]);
    }
}
