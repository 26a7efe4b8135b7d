namespace Pitwall.Protocol;

/// <summary>Vehicle identification numbers (ISO 3779): 17 characters of 0-9 and A-Z without I, O and Q.</summary>
public static class Vin
{
    public const int Length = 17;

    public static bool IsValid(string? vin) =>
        vin is { Length: Length } && vin.All(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') && c is not ('I' or 'O' or 'Q'));

    /// <summary>Upper-cases and trims what a person typed.</summary>
    public static string Normalize(string vin) => vin.Trim().ToUpperInvariant();
}
