using System.Collections.Concurrent;

namespace Pitwall.Simulator;

/// <summary>
/// Car seqs must rise strictly and never repeat, even across restarts, but a simulated car has no non-volatile
/// memory. So the first seq of every car is the wall-clock time at which this process first numbered a frame
/// (just after it started), in Unix milliseconds × 1000, and each sequenced frame takes the next number. A
/// restarted process starts above where the last one ended as long as no car sent more than 1000 frames per
/// millisecond of the previous run. Within one process a VIN keeps counting where its previous
/// <see cref="SimulatedVehicle"/> stopped, so tests may "restart" a car by building a new one.
/// </summary>
internal static class SequenceNumbers
{
    private static readonly ulong Origin = (ulong)TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    private static readonly ConcurrentDictionary<string, SequenceCounter> ByVin = new(StringComparer.Ordinal);

    public static SequenceCounter For(string vin) => ByVin.GetOrAdd(vin, static _ => new SequenceCounter(Origin));
}

/// <summary>A car's seq counter; shared by every instance of the same VIN in this process.</summary>
internal sealed class SequenceCounter(ulong first)
{
    private long _last = (long)first - 1;

    public ulong Last => (ulong)Interlocked.Read(ref _last);

    public ulong Next() => (ulong)Interlocked.Increment(ref _last);

    /// <summary>Makes the next seq greater than <paramref name="seq"/>.</summary>
    public void AdvancePast(ulong seq)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _last)) < (long)seq &&
               Interlocked.CompareExchange(ref _last, (long)seq, seen) != seen)
        {
        }
    }
}
