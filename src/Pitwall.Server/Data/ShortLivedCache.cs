using System.Collections.Concurrent;

namespace Pitwall.Server.Data;

/// <summary>
/// Answers that almost every request reads (its token, the caller's access to the car, the car's entitlements), kept for a
/// short while on SQLite, where one instance owns the data. An entry is forgotten at its deadline or as soon as its
/// generation moves: the owner bumps the generation when a change commits in this process, and reads the generation
/// before it reads the database, so a change committing during that read makes the new entry stale at once.
/// </summary>
/// <remarks>On PostgreSQL, where several instances may share the data, the lifetime is zero and every question is read.</remarks>
/// <param name="sameAnswer">When two answers are the same (default: <see cref="EqualityComparer{T}.Default"/>).</param>
public sealed class ShortLivedCache<TKey, TValue>(TimeSpan lifetime, IEqualityComparer<TValue>? sameAnswer = null) where TKey : notnull
{
    private readonly IEqualityComparer<TValue> _sameAnswer = sameAnswer ?? EqualityComparer<TValue>.Default;
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private int _count; // ConcurrentDictionary.Count takes every lock of the dictionary: too dear on each miss

    private sealed record Entry(TValue Value, DateTimeOffset Until, long Generation);

    public bool Enabled { get; } = lifetime > TimeSpan.Zero;

    public bool TryGet(TKey key, long generation, DateTimeOffset now, out TValue value)
    {
        if (Enabled && _entries.TryGetValue(key, out var entry) && entry.Generation == generation && now < entry.Until)
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <param name="until">When the answer ends by itself (a token's expiry, a term's end); the lifetime bounds it further.</param>
    /// <returns>The answer to use: the one already kept when the new one is the same.</returns>
    public TValue Set(TKey key, TValue value, long generation, DateTimeOffset now, DateTimeOffset until)
    {
        if (!Enabled)
        {
            return value;
        }
        // An answer read again and found unchanged keeps its first object: renewed every lifetime, an entry then leaves only
        // itself for the collector to promote, not a fresh copy of the answer (bench/README.md §3, eighteenth session).
        if (_entries.TryGetValue(key, out var kept) && _sameAnswer.Equals(kept.Value, value))
        {
            value = kept.Value;
        }
        var bounded = now + lifetime;
        var entry = new Entry(value, until < bounded ? until : bounded, generation);
        if (_entries.TryAdd(key, entry))
        {
            if (Interlocked.Increment(ref _count) > MaxEntries)
            {
                _entries.Clear(); // bounded: a fleet-wide sweep starts over rather than growing without end
                Interlocked.Exchange(ref _count, 0);
            }
            return value;
        }
        _entries[key] = entry;
        return value;
    }
}
