namespace Pitwall.Server.Cluster;

/// <summary>
/// A feed's recent events for clients that reconnect with <c>Last-Event-ID</c>, kept as their UTF-8 JSON in one buffer
/// that grows up to a bound. Kept as objects, the last 10 000 events were nearly all that a young-generation collection
/// found alive at 1 000 commands/s, and copying them made each of its pauses 40 ms (bench/README.md §3): bytes hold no
/// references, so the collector has nothing in here to trace or move. Not thread-safe: the relay holds its lock.
/// </summary>
/// <param name="capacity">At most this many events.</param>
/// <param name="maxBytes">At most this many bytes of ids and JSON together.</param>
internal sealed class ReplayRing(int capacity, int maxBytes)
{
    private const int FirstBytes = 64 * 1024;
    private const int FirstEntries = 64;

    private byte[] _bytes = [];
    private Entry[] _entries = [];
    private int _oldest; // index in _entries
    private int _count;
    private int _end; // where the newest event's bytes end

    /// <param name="KeyHash">Its feed key's hash (0 without a key): a replay reads only the events its subscriber may want.</param>
    private readonly record struct Entry(long Position, long At, int KeyHash, int Start, int IdLength, int Length);

    /// <summary>An event as kept: its local position and its JSON (a copy, safe to use outside the relay's lock).</summary>
    public readonly record struct Kept(long Position, byte[] Json);

    public int Count => _count;

    /// <summary>A feed key's hash as kept with its events (never 0, which stands for no key).</summary>
    public static int KeyHashOf(string? key) => key is null ? 0 : key.GetHashCode() is var hash && hash != 0 ? hash : 1;

    /// <summary>Keeps an event (the oldest go when a bound is reached). One larger than every bound empties the ring, so
    /// that no replay can skip it unnoticed: a client whose last event is no longer kept gets no replay.</summary>
    public void Add(long position, long at, int keyHash, ReadOnlySpan<byte> id, ReadOnlySpan<byte> json)
    {
        if (capacity == 0)
        {
            return;
        }
        var size = id.Length + json.Length;
        if (size > maxBytes)
        {
            Clear();
            return;
        }
        if (_count == _entries.Length)
        {
            if (_entries.Length < capacity)
            {
                GrowEntries();
            }
            else
            {
                RemoveOldest();
            }
        }
        var start = Reserve(size);
        id.CopyTo(_bytes.AsSpan(start));
        json.CopyTo(_bytes.AsSpan(start + id.Length));
        _entries[(_oldest + _count) % _entries.Length] = new Entry(position, at, keyHash, start, id.Length, size);
        _count++;
        _end = start + size;
    }

    /// <summary>Forgets the events kept since before <paramref name="window"/>.</summary>
    public void RemoveOlderThan(TimeProvider time, long now, TimeSpan window)
    {
        while (_count > 0 && time.GetElapsedTime(_entries[_oldest].At, now) > window)
        {
            RemoveOldest();
        }
    }

    /// <summary>
    /// Copies of the events after the one with <paramref name="id"/>, oldest first; none when that one is not kept. With
    /// <paramref name="keyHashes"/>, only the events under one of those keys.
    /// </summary>
    public List<Kept> After(ReadOnlySpan<byte> id, IReadOnlySet<int>? keyHashes)
    {
        var after = new List<Kept>();
        var found = false;
        for (var i = 0; i < _count; i++)
        {
            var entry = _entries[(_oldest + i) % _entries.Length];
            var bytes = _bytes.AsSpan(entry.Start, entry.Length);
            if (found && (keyHashes is null || (entry.KeyHash != 0 && keyHashes.Contains(entry.KeyHash))))
            {
                after.Add(new Kept(entry.Position, bytes[entry.IdLength..].ToArray()));
            }
            found = found || bytes[..entry.IdLength].SequenceEqual(id);
        }
        return found ? after : [];
    }

    /// <summary>Where <paramref name="size"/> bytes fit after the newest event, the buffer growing (up to its bound) or the
    /// oldest events going until they do. Events never wrap: one that does not fit at the end starts at the beginning.</summary>
    private int Reserve(int size)
    {
        while (true)
        {
            if (_count == 0)
            {
                _end = 0;
                if (size <= _bytes.Length)
                {
                    return 0;
                }
            }
            else
            {
                var oldestStart = _entries[_oldest].Start;
                if (oldestStart < _end)
                {
                    if (_bytes.Length - _end >= size)
                    {
                        return _end;
                    }
                    if (oldestStart >= size)
                    {
                        return 0;
                    }
                }
                else if (oldestStart - _end >= size)
                {
                    return _end;
                }
            }
            if (_bytes.Length < maxBytes)
            {
                GrowBytes(size);
            }
            else
            {
                RemoveOldest();
            }
        }
    }

    /// <summary>A buffer twice as large (or as large as needed, within the bound), the kept events copied to its start.</summary>
    private void GrowBytes(int size)
    {
        var length = (int)Math.Min(maxBytes, Math.Max(size, Math.Max(FirstBytes, 2L * _bytes.Length)));
        var grown = new byte[length];
        var at = 0;
        for (var i = 0; i < _count; i++)
        {
            ref var entry = ref _entries[(_oldest + i) % _entries.Length];
            _bytes.AsSpan(entry.Start, entry.Length).CopyTo(grown.AsSpan(at));
            entry = entry with { Start = at };
            at += entry.Length;
        }
        _bytes = grown;
        _end = at;
    }

    private void GrowEntries()
    {
        var grown = new Entry[Math.Min(capacity, Math.Max(FirstEntries, 2 * _entries.Length))];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _entries[(_oldest + i) % _entries.Length];
        }
        _entries = grown;
        _oldest = 0;
    }

    private void RemoveOldest()
    {
        _oldest = (_oldest + 1) % _entries.Length;
        if (--_count == 0)
        {
            _oldest = 0;
            _end = 0;
        }
    }

    private void Clear()
    {
        _count = 0;
        _oldest = 0;
        _end = 0;
    }
}
