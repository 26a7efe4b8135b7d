namespace Pitwall.Server.Features.LocationAlarm;

/// <param name="Name">1–40 characters, shown in the app and in the notification.</param>
/// <param name="RadiusMetres">100–50 000 m. The car reports entering within it and leaving beyond the exit radius.</param>
/// <param name="Notify">enter, exit or both (default both): which crossings notify; every crossing is kept in the history.</param>
/// <param name="ActiveHours">Optional: notify only then. Absent or null = always.</param>
public sealed record GeofenceRequest(string? Name, double? Latitude, double? Longitude, double? RadiusMetres, string? Notify, ActiveHoursRequest? ActiveHours);

/// <param name="Days">Weekdays on which the window starts: mon, tue, wed, thu, fri, sat, sun.</param>
/// <param name="From">Local time HH:mm.</param>
/// <param name="To">Local time HH:mm; before <paramref name="From"/> = the window runs overnight.</param>
/// <param name="TimeZone">IANA time zone, e.g. Europe/Berlin.</param>
public sealed record ActiveHoursRequest(IReadOnlyList<string>? Days, string? From, string? To, string? TimeZone);

/// <param name="ExitRadiusMetres">The car reports leaving only beyond this: radius + max(50 m, 10 % of the radius).</param>
/// <param name="Confirmed">The car has applied this version of the area; false while it waits for the car.</param>
public sealed record GeofenceResponse(
    string Id, string Name, double Latitude, double Longitude, double RadiusMetres, double ExitRadiusMetres, string Notify,
    ActiveHoursResponse? ActiveHours, bool Confirmed, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    internal static GeofenceResponse From(Geofence g, bool confirmed) => new(
        g.Id, g.Name, g.Latitude, g.Longitude, g.RadiusMetres, GeofenceRules.ExitRadius(g.RadiusMetres), g.Notify,
        g.ActiveHours is { } h ? new ActiveHoursResponse(h.Days, h.From.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            h.To.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), h.TimeZone) : null,
        confirmed, g.CreatedAt, g.UpdatedAt);
}

public sealed record ActiveHoursResponse(IReadOnlyList<string> Days, string From, string To, string TimeZone);

/// <param name="Name">The area's name when the car crossed it (the area may have been renamed or deleted since).</param>
/// <param name="Transition">entered or exited.</param>
/// <param name="AccuracyMetres">The fix's horizontal accuracy.</param>
/// <param name="OccurredAt">When the car crossed, by the car's clock.</param>
public sealed record GeofenceEventResponse(
    string Id, string GeofenceId, string Name, string Transition, double Latitude, double Longitude, double AccuracyMetres,
    DateTimeOffset OccurredAt, DateTimeOffset RecordedAt)
{
    internal static GeofenceEventResponse From(GeofenceEventRecord e) =>
        new(e.Id, e.GeofenceId, e.Name, e.Transition, e.Latitude, e.Longitude, e.AccuracyMetres, e.OccurredAt, e.RecordedAt);
}

/// <param name="Events">Newest first.</param>
/// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
public sealed record GeofenceEventPage(IReadOnlyList<GeofenceEventResponse> Events, string? NextBefore);
