namespace Pitwall.Server.Features.Notifications;

/// <summary>
/// A daily window in the user's time zone when push, SMS and e-mail wait (urgent types excepted). A window may cross
/// midnight (22:00–07:00). Deliveries queued inside it are sent when it ends.
/// </summary>
public sealed record QuietHours(int FromMinute, int ToMinute, string TimeZone)
{
    public static bool TryParseTime(string? text, out int minute)
    {
        minute = 0;
        if (text is null || !TimeOnly.TryParseExact(text, "HH:mm", out var time))
        {
            return false;
        }
        minute = time.Hour * 60 + time.Minute;
        return true;
    }

    public static bool IsKnownTimeZone(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    public static string Format(int minute) => $"{minute / 60:00}:{minute % 60:00}";

    /// <summary>When the window that contains <paramref name="at"/> ends, or <paramref name="at"/> itself when outside it.</summary>
    public DateTimeOffset EndOf(DateTimeOffset at)
    {
        if (FromMinute == ToMinute || !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone))
        {
            return at;
        }
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var minute = local.Hour * 60 + local.Minute;
        var inside = FromMinute < ToMinute
            ? minute >= FromMinute && minute < ToMinute
            : minute >= FromMinute || minute < ToMinute;
        if (!inside)
        {
            return at;
        }
        var endDate = minute < ToMinute ? local.Date : local.Date.AddDays(1);
        var endLocal = endDate.AddMinutes(ToMinute);
        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime();
    }
}
