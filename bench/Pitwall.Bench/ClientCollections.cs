using System.Runtime;

namespace Pitwall.Bench;

/// <summary>
/// Keeps this benchmark's own garbage collections out of a measuring window. The cars and the apps run in this process, on
/// the same two cores as the server: each of its collections stopped every car and app for 25–80 ms (a gen-1 collection every
/// ≈ 1.8 s at 1 000 commands/s, traced with dotnet-trace), which the round trips then counted as the server's. Real cars and
/// apps run elsewhere, so before the window this process collects once and then allocates without collecting (a no-GC region
/// of up to 2 GiB, entered 3 s before the window so that the commands held up meanwhile have gone); if the window outgrows it, the collections that ran are counted and reported, not hidden.
/// </summary>
internal sealed class ClientCollections
{
    /// <summary>What the client may allocate in the window without a collection, largest first, as far as this runtime grants
    /// it (the client allocates ≈ 10 MB/s at 1 000 commands/s: a 30-s window needs ≈ 300 MB).</summary>
    private static readonly long[] Budgets = [2048L << 20, 1024L << 20, 768L << 20, 512L << 20];

    private readonly bool _noGcRegion;
    private readonly int _gen0;
    private readonly int _gen1;
    private readonly int _gen2;

    private ClientCollections(bool noGcRegion)
    {
        _noGcRegion = noGcRegion;
        (_gen0, _gen1, _gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    }

    /// <summary>Collects now (before the window), then enters the no-GC region when the runtime grants it.</summary>
    public static ClientCollections Quiet()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        foreach (var budget in Budgets)
        {
            try
            {
                if (GC.TryStartNoGCRegion(budget))
                {
                    return new ClientCollections(true);
                }
            }
            catch (ArgumentOutOfRangeException)
            {
                // more than this runtime's ephemeral space: try a smaller one
            }
        }
        return new ClientCollections(false); // the window then has the client's usual collections, counted

    }

    /// <summary>The client's collections since <see cref="Quiet"/> (gen 0 / 1 / 2) and whether the no-GC region held throughout.</summary>
    public (int Gen0, int Gen1, int Gen2, bool Held) End()
    {
        var held = _noGcRegion && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
        if (held)
        {
            GC.EndNoGCRegion();
        }
        return (GC.CollectionCount(0) - _gen0, GC.CollectionCount(1) - _gen1, GC.CollectionCount(2) - _gen2, held);
    }
}
