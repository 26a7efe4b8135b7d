namespace Pitwall.Simulator;

/// <summary>
/// A tiny seeded generator (SplitMix64): 8 bytes of state per car instead of <see cref="Random"/>'s seeded
/// implementation (~250 bytes), and the same sequence on every .NET version, so fleet runs repeat exactly.
/// Not thread-safe; each user keeps its own.
/// </summary>
internal sealed class SimRandom
{
    private ulong _state;

    /// <param name="stream">Separates independent sequences drawn from the same seed.</param>
    public SimRandom(int seed, int stream = 0)
    {
        _state = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)stream << 32) ^ 0xD1B54A32D192ED03UL);
        NextUInt64();
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <returns>A value in [0, 1).</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Between(double min, double max) => min + (max - min) * NextDouble();

    public bool Chance(double probability) => NextDouble() < probability;

    /// <returns>A value in [0, <paramref name="max"/>).</returns>
    public int Next(int max) => (int)(NextUInt64() % (ulong)max);
}
