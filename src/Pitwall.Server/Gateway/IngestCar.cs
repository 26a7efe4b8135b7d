namespace Pitwall.Server.Gateway;

/// <summary>
/// One car as the ingest writer knows it: what it made durable and how many of its messages wait. Found by VIN once per
/// connection (at the hello) and then reached through the session, where before each message looked the VIN up in one
/// dictionary after another (issue 17: ≈ 12 hash look-ups per report, 5 % of the server's CPU). Kept for good, as the
/// durable marks were: one small object per car that ever connected to this instance.
/// </summary>
internal sealed class IngestCar(string vin)
{
    private long _durable;
    private int _queued;

    public string Vin { get; } = vin;

    /// <summary>The highest seq this writer made durable, or the stored mark it was told of (whichever is higher).</summary>
    public long Durable => Interlocked.Read(ref _durable);

    /// <summary>Messages of this car in the writer's queue or in its batch.</summary>
    public int Queued => Volatile.Read(ref _queued);

    // Owned by the writer while it groups a batch: the grouping that last saw this car, and its mark's place there.
    internal long GroupedIn;
    internal int MarkAt;

    /// <returns>The new durable mark: the higher of the known one and <paramref name="seq"/>.</returns>
    public long Advance(long seq)
    {
        var known = Interlocked.Read(ref _durable);
        while (seq > known)
        {
            var seen = Interlocked.CompareExchange(ref _durable, seq, known);
            if (seen == known)
            {
                return seq;
            }
            known = seen;
        }
        return known;
    }

    public void Enqueued() => Interlocked.Increment(ref _queued);

    public void Dequeued() => Interlocked.Decrement(ref _queued);
}
