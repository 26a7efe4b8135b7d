namespace Pitwall.Server.Features.Privacy.Processors;

/// <summary>A tile as the provider sent it, and until when it is fresh.</summary>
internal sealed record CachedTile(byte[] Content, string ContentType, DateTimeOffset FreshUntil);

/// <summary>
/// The tile proxy's memory: at most <c>capacity</c> bytes of tiles, the least recently used going first when a new one
/// needs room, each kept only while fresh (by the injected clock).
/// </summary>
internal sealed class TileCache(long capacity, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TileKey, LinkedListNode<(TileKey Key, CachedTile Tile)>> _entries = [];
    private readonly LinkedList<(TileKey Key, CachedTile Tile)> _recency = new();
    private long _bytes;

    public long Capacity => capacity;

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(TileKey key, out CachedTile tile)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                if (node.Value.Tile.FreshUntil > time.GetUtcNow())
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    tile = node.Value.Tile;
                    return true;
                }
                Remove(node);
            }
        }
        tile = null!;
        return false;
    }

    /// <summary>Keeps the tile unless it is larger than an eighth of the cache (one tile must not empty it).</summary>
    public void Add(TileKey key, CachedTile tile)
    {
        var size = tile.Content.Length;
        if (size > capacity / 8)
        {
            return;
        }
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                Remove(existing);
            }
            while (_bytes + size > capacity && _recency.Last is { } oldest)
            {
                Remove(oldest);
            }
            _entries[key] = _recency.AddFirst((key, tile));
            _bytes += size;
        }
    }

    private void Remove(LinkedListNode<(TileKey Key, CachedTile Tile)> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Tile.Content.Length;
    }
}

/// <summary>One tile of the web map: zoom level and column/row (the slippy-map scheme).</summary>
internal readonly record struct TileKey(int Z, int X, int Y)
{
    /// <summary>Valid coordinates: 0 ≤ z ≤ <paramref name="maxZoom"/>, 0 ≤ x, y &lt; 2^z.</summary>
    public static TileKey? Parse(string? z, string? x, string? y, int maxZoom)
    {
        if (!int.TryParse(z, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var zoom) ||
            !int.TryParse(x, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var column) ||
            !int.TryParse(y, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var row) ||
            zoom > maxZoom || zoom > 30)
        {
            return null;
        }
        var size = 1L << zoom;
        return column < size && row < size ? new TileKey(zoom, column, row) : null;
    }

    public override string ToString() => FormattableString.Invariant($"{Z}/{X}/{Y}");
}
