using System.Globalization;
using System.Text.RegularExpressions;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.LocationAlarm;

/// <summary>
/// The location alarm's numbers in one place (REQUIREMENTS D2), and the geometry and validation that use them.
/// Against GPS jitter (docs/vehicle-protocol.md, "Location alarm"): the car reports entering only within the radius and
/// leaving only beyond the larger exit radius, after the position stayed on the new side for the dwell time, and it
/// ignores fixes whose accuracy is worse than the limit; the server checks the same rules again on every event.
/// </summary>
public static partial class GeofenceRules
{
    /// <summary>Areas per car.</summary>
    public const int MaxPerVehicle = 4;

    public const double MinRadiusMetres = 100;

    public const double MaxRadiusMetres = 50_000;

    /// <summary>The exit radius is the radius plus the larger of this many metres …</summary>
    public const double MinExitMarginMetres = 50;

    /// <summary>… and this share of the radius.</summary>
    public const double ExitMarginShare = 0.10;

    /// <summary>How long the position must stay on the new side before the car reports the crossing.</summary>
    public const uint DwellSeconds = 30;

    /// <summary>Fixes less accurate than this (or of unknown accuracy) are ignored by the car and by the server.</summary>
    public const double MaxAccuracyMetres = 100;

    public const int MaxNameLength = 40;

    public const string NotifyEnter = "enter", NotifyExit = "exit", NotifyBoth = "both";

    public const string Entered = "entered", Exited = "exited";

    /// <summary>A configuration frame waits this long for a car that stays offline.</summary>
    public static readonly TimeSpan ConfigurationLifetime = TimeSpan.FromDays(365);

    public static readonly IReadOnlyList<string> Weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    private const double EarthRadiusMetres = 6_371_008.8;

    /// <summary>Radius + max(50 m, 10 % of the radius).</summary>
    public static double ExitRadius(double radiusMetres) => radiusMetres + Math.Max(MinExitMarginMetres, radiusMetres * ExitMarginShare);

    /// <summary>Great-circle distance (haversine), metres.</summary>
    public static double DistanceMetres(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(latitude2 - latitude1);
        var dLon = Radians(longitude2 - longitude1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(Radians(latitude1)) * Math.Cos(Radians(latitude2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Checks a request and returns the area it describes (id and times left for the caller), or null with the errors.</summary>
    internal static GeofenceDraft? Validate(GeofenceRequest request, ValidationErrors errors)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            errors.Add("name", $"A name of 1 to {MaxNameLength} characters.");
        }
        if (request.Latitude is not { } latitude || !double.IsFinite(latitude) || latitude is < -90 or > 90)
        {
            errors.Add("latitude", "A latitude between -90 and 90 degrees.");
        }
        if (request.Longitude is not { } longitude || !double.IsFinite(longitude) || longitude is < -180 or > 180)
        {
            errors.Add("longitude", "A longitude between -180 and 180 degrees.");
        }
        if (request.RadiusMetres is not { } radius || !double.IsFinite(radius) || radius is < MinRadiusMetres or > MaxRadiusMetres)
        {
            errors.Add("radiusMetres", "A radius between 100 and 50000 metres.");
        }
        var notify = request.Notify ?? NotifyBoth;
        if (notify is not (NotifyEnter or NotifyExit or NotifyBoth))
        {
            errors.Add("notify", "One of: enter, exit, both.");
        }
        var hours = request.ActiveHours is { } given ? ValidateHours(given, errors) : null;
        return errors.Any ? null : new GeofenceDraft(name!, request.Latitude!.Value, request.Longitude!.Value, request.RadiusMetres!.Value, notify, hours);
    }

    private static ActiveHours? ValidateHours(ActiveHoursRequest request, ValidationErrors errors)
    {
        var days = request.Days ?? [];
        if (days.Count == 0 || days.Any(d => !Weekdays.Contains(d)) || days.Distinct().Count() != days.Count)
        {
            errors.Add("activeHours.days", "One or more of mon, tue, wed, thu, fri, sat, sun, each once.");
        }
        var from = Time(request.From);
        if (from is null)
        {
            errors.Add("activeHours.from", "A time of day as HH:mm.");
        }
        var to = Time(request.To);
        if (to is null)
        {
            errors.Add("activeHours.to", "A time of day as HH:mm.");
        }
        else if (from == to)
        {
            errors.Add("activeHours.to", "The end differs from the start (an end before the start runs overnight).");
        }
        if (string.IsNullOrEmpty(request.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone, out _))
        {
            errors.Add("activeHours.timeZone", "An IANA time zone, e.g. Europe/Berlin.");
        }
        return errors.Any ? null : new ActiveHours([.. Weekdays.Where(days.Contains)], from!.Value, to!.Value, request.TimeZone!);
    }

    public static TimeOnly? Time(string? text) =>
        text is not null && TimeOfDay().IsMatch(text) ? TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture) : null;

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex TimeOfDay();
}

/// <summary>A validated area before it is stored.</summary>
internal sealed record GeofenceDraft(string Name, double Latitude, double Longitude, double RadiusMetres, string Notify, ActiveHours? ActiveHours);

/// <summary>When an area notifies: on these weekdays from <paramref name="From"/> to <paramref name="To"/> in <paramref name="TimeZone"/>
/// (an end before the start runs overnight into the next day).</summary>
public sealed record ActiveHours(IReadOnlyList<string> Days, TimeOnly From, TimeOnly To, string TimeZone)
{
    public bool Covers(DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var day = Weekday(local.DayOfWeek);
        if (From < To)
        {
            return Days.Contains(day) && time >= From && time < To;
        }
        var dayBefore = Weekday((DayOfWeek)(((int)local.DayOfWeek + 6) % 7));
        return (Days.Contains(day) && time >= From) || (Days.Contains(dayBefore) && time < To);
    }

    private static string Weekday(DayOfWeek day) => GeofenceRules.Weekdays[((int)day + 6) % 7];
}
