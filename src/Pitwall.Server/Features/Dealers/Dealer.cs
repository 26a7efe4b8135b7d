using System.Globalization;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The hours a dealer is open on some weekdays, local time of the dealer.</summary>
/// <param name="Days">ISO weekdays, 1 = Monday … 7 = Sunday.</param>
/// <param name="Opens">"HH:mm".</param>
/// <param name="Closes">"HH:mm", after <paramref name="Opens"/>.</param>
internal sealed record OpeningHours(int[] Days, string Opens, string Closes)
{
    public bool Contains(DateTime local)
    {
        var day = local.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)local.DayOfWeek;
        var time = TimeOnly.FromDateTime(local);
        return Days.Contains(day) && time >= Parse(Opens) && time < Parse(Closes);
    }

    public static bool IsTime(string text) => TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static TimeOnly Parse(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>A workshop in the directory (F1).</summary>
/// <param name="Services">What the workshop does: <see cref="DealerServices"/>.</param>
internal sealed record Dealer(
    string Id, string Name, string Street, string PostalCode, string City, string Country, double Latitude, double Longitude,
    string? Phone, string? Email, string TimeZone, IReadOnlyList<OpeningHours> OpeningHours, IReadOnlyList<string> Services)
{
    public string Address => $"{Street}, {PostalCode} {City}, {Country}";

    public TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Whether the workshop is open at <paramref name="at"/> (its own local time).</summary>
    public bool IsOpenAt(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone).DateTime;
        return OpeningHours.Any(h => h.Contains(local));
    }

    /// <summary>Great-circle distance in metres (haversine).</summary>
    public double DistanceM(double latitude, double longitude)
    {
        const double earthRadiusM = 6_371_000;
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(Latitude - latitude);
        var dLon = Rad(Longitude - longitude);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(latitude)) * Math.Cos(Rad(Latitude)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * earthRadiusM * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

/// <summary>What a workshop in the directory offers.</summary>
internal static class DealerServices
{
    public const string Maintenance = "maintenance";
    public const string Repair = "repair";
    public const string Tyres = "tyres";
    public const string Bodywork = "bodywork";
    public const string HighVoltage = "high_voltage";
    public const string SoftwareUpdate = "software_update";

    public static readonly IReadOnlyList<string> All = [Maintenance, Repair, Tyres, Bodywork, HighVoltage, SoftwareUpdate];
}
