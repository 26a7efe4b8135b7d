using System.Runtime.InteropServices;

namespace Pitwall.Server.Features.Status;

/// <summary>
/// The paths of a report's kept signals, one shared array per distinct list of signal ids. A car sends the same signals
/// report after report, and every report's <c>vehicle.status</c> event names them; the events stay in the live feed's replay
/// window for clients that reconnect, so a list of their own per report outlived the garbage collector's youngest generation
/// and was copied through the older ones (issue 17). Owned by the ingest writer (one batch at a time); bounded.
/// </summary>
internal sealed class SignalPathSets
{
    private const int MaxSets = 1_024;
    private readonly Dictionary<uint[], string[]> _sets = new(IdsComparer.Instance);
    private readonly List<uint> _ids = [];
    private readonly List<string> _paths = [];

    public void Clear()
    {
        _ids.Clear();
        _paths.Clear();
    }

    public void Add(uint id, string path)
    {
        _ids.Add(id);
        _paths.Add(path);
    }

    public int Count => _ids.Count;

    /// <summary>The paths added since <see cref="Clear"/>, as an array that is never changed (and may be shared).</summary>
    public string[] Paths()
    {
        var ids = CollectionsMarshal.AsSpan(_ids);
        var lookup = _sets.GetAlternateLookup<ReadOnlySpan<uint>>();
        if (lookup.TryGetValue(ids, out var shared))
        {
            return shared;
        }
        if (_sets.Count >= MaxSets)
        {
            _sets.Clear(); // a fleet sends few distinct lists; anything else simply starts over
        }
        var paths = _paths.ToArray();
        _sets[ids.ToArray()] = paths;
        return paths;
    }

    private sealed class IdsComparer : IEqualityComparer<uint[]>, IAlternateEqualityComparer<ReadOnlySpan<uint>, uint[]>
    {
        public static readonly IdsComparer Instance = new();

        public bool Equals(uint[]? x, uint[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(uint[] ids) => GetHashCode(ids.AsSpan());

        public bool Equals(ReadOnlySpan<uint> alternate, uint[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<uint> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(MemoryMarshal.AsBytes(alternate));
            return hash.ToHashCode();
        }

        public uint[] Create(ReadOnlySpan<uint> alternate) => alternate.ToArray();
    }
}
