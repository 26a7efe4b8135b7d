using System.Globalization;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// The daily time range in which a campaign's cars may install its update (hawkBit's maintenance window): from
/// <paramref name="Start"/> to <paramref name="End"/> (<c>HH:mm</c>, local time in <paramref name="TimeZone"/>, an IANA id; UTC when
/// absent); a range that ends before it starts runs over midnight (22:00–05:00).
/// </summary>
public sealed record MaintenanceWindow(string? Start, string? End, string? TimeZone)
{
    public const string Available = "available";
    public const string Unavailable = "unavailable";

    /// <summary>Adds what is wrong under <c>maintenanceWindow.*</c>.</summary>
    internal void Validate(ValidationErrors errors)
    {
        if (Minutes(Start) is null)
        {
            errors.Add("maintenanceWindow.start", "A time of day, HH:mm.");
        }
        if (Minutes(End) is null || End == Start)
        {
            errors.Add("maintenanceWindow.end", "A time of day, HH:mm, other than the start.");
        }
        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            errors.Add("maintenanceWindow.timeZone", "An IANA time zone, such as Europe/Berlin.");
        }
    }

    /// <summary>Whether the window is open at <paramref name="now"/>.</summary>
    internal bool IsOpen(DateTimeOffset now)
    {
        var zone = TimeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var minute = local.Hour * 60 + local.Minute;
        var (start, end) = (Minutes(Start)!.Value, Minutes(End)!.Value);
        return start < end ? minute >= start && minute < end : minute >= start || minute < end;
    }

    /// <summary>How long a target with an action in this window sleeps between polls (hawkBit's maintenance-window scheme): outside
    /// the window a third of the time to its next opening, so that it polls at least three times before, bounded by
    /// <paramref name="minimum"/> and <paramref name="sleep"/>; inside it, <paramref name="sleep"/>.</summary>
    internal TimeSpan PollingSleep(DateTimeOffset now, TimeSpan sleep, TimeSpan minimum)
    {
        if (IsOpen(now))
        {
            return sleep;
        }
        var third = TimeSpan.FromSeconds(Math.Floor((NextOpening(now) - now).TotalSeconds / 3));
        var floor = minimum < sleep ? minimum : sleep;
        return third > sleep ? sleep : third < floor ? floor : third;
    }

    /// <summary>When the window opens next after <paramref name="now"/> (to the minute; the local start time on the next day it occurs).</summary>
    internal DateTimeOffset NextOpening(DateTimeOffset now)
    {
        var zone = TimeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var start = Minutes(Start)!.Value;
        for (var day = 0; day <= 2; day++)
        {
            var date = local.Date.AddDays(day).AddMinutes(start);
            var opening = new DateTimeOffset(date, zone.GetUtcOffset(date));
            if (opening > now)
            {
                return opening;
            }
        }
        return now.AddDays(1);
    }

    private static int? Minutes(string? time) =>
        TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t.Hour * 60 + t.Minute : null;
}
