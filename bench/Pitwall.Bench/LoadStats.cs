namespace Pitwall.Bench;

/// <summary>Counters shared by all cars of one load run.</summary>
internal sealed class LoadStats
{
    public long AckedReports;
    public long AckFrames;
    public int FailedCars;
    private volatile bool _measuring;

    public bool Measuring
    {
        get => _measuring;
        set => _measuring = value;
    }

    public LatencyHistogram Latency { get; } = new();
}

/// <summary>Ack latency in 0.1 ms buckets up to 30 s (lock-free).</summary>
internal sealed class LatencyHistogram
{
    private const double BucketMs = 0.1;
    private readonly long[] _buckets = new long[300_001];

    public void Record(TimeSpan latency)
    {
        var bucket = (int)Math.Min(_buckets.Length - 1, latency.TotalMilliseconds / BucketMs);
        Interlocked.Increment(ref _buckets[Math.Max(0, bucket)]);
    }

    public long Count => _buckets.Sum();

    /// <returns>The latency in milliseconds below which <paramref name="fraction"/> of the samples lie (NaN without samples).</returns>
    public double Percentile(double fraction)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }
        var target = (long)Math.Ceiling(total * fraction);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= target)
            {
                return (i + 1) * BucketMs;
            }
        }
        return _buckets.Length * BucketMs;
    }
}
