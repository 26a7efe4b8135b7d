using Pitwall.Protocol;

namespace Pitwall.Simulator;

/// <summary>
/// Deterministic VINs for simulated fleets: <c>WP0ZZZ99Z</c> + model-year letter + plant letter + 6-digit serial,
/// so that index <i>n</i> names the same car in every run and on every machine.
/// </summary>
public static class FleetVins
{
    private const string Prefix = "WP0ZZZ99Z";
    private const int SerialsPerPlant = 1_000_000;

    // ISO 3779 model-year codes (no I, O, Q, U, Z, 0) and plant letters (no I, O, Q).
    private const string YearCodes = "RSTVWXY123456789ABCDEFGHJKLMNP";
    private const string PlantCodes = "SABCDEFGHJKLMNPRTUVWXYZ";

    /// <summary>How many distinct VINs <see cref="For"/> can produce.</summary>
    public const long Capacity = (long)SerialsPerPlant * 23 * 30;

    public static string For(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var plant = index / SerialsPerPlant % PlantCodes.Length;
        var year = index / SerialsPerPlant / PlantCodes.Length;
        // int.MaxValue / 1e6 / 23 < 94, but only 30 year codes exist.
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(year, YearCodes.Length, nameof(index));
        var vin = $"{Prefix}{YearCodes[year]}{PlantCodes[plant]}{index % SerialsPerPlant:D6}";
        return Vin.IsValid(vin) ? vin : throw new InvalidOperationException("FleetVins produced an invalid VIN.");
    }

    /// <returns>The index <see cref="For"/> turns into <paramref name="vin"/>, or -1 when it is not a fleet VIN.</returns>
    public static int IndexOf(string vin)
    {
        if (!Vin.IsValid(vin) || !vin.StartsWith(Prefix, StringComparison.Ordinal) ||
            !int.TryParse(vin.AsSpan(11), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var serial))
        {
            return -1;
        }
        var year = YearCodes.IndexOf(vin[9], StringComparison.Ordinal);
        var plant = PlantCodes.IndexOf(vin[10], StringComparison.Ordinal);
        if (year < 0 || plant < 0)
        {
            return -1;
        }
        var index = ((long)year * PlantCodes.Length + plant) * SerialsPerPlant + serial;
        return index <= int.MaxValue ? (int)index : -1;
    }
}
