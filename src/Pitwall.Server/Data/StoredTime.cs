namespace Pitwall.Server.Data;

/// <summary>
/// Times are stored as Unix milliseconds. A stored time must always read, even one written before cars' times were
/// checked at the gate: beyond what <see cref="DateTimeOffset"/> holds it reads as the nearest representable time.
/// </summary>
public static class StoredTime
{
    private static readonly long Earliest = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long Latest = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static DateTimeOffset Read(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ms, Earliest, Latest));

    /// <returns>False when the time lies beyond what <see cref="DateTimeOffset"/> holds.</returns>
    public static bool TryRead(long ms, out DateTimeOffset time)
    {
        var ok = ms >= Earliest && ms <= Latest;
        time = ok ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default;
        return ok;
    }
}
