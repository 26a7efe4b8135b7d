using System.Globalization;

namespace Pitwall.Server.Web;

/// <summary>
/// Times and numbers on the portal's pages as the user reads them. Times are in the user's time zone: the one the account
/// chose (its profile; a cookie set at sign-in and when it changes), else the browser's, which the layout's script keeps in a
/// cookie (an IANA id such as <c>Europe/Berlin</c>), UTC until the browser has said; they keep
/// one unambiguous date order in every language and name their offset. Numbers use the page's decimal comma or point (the
/// server runs with invariant globalization, so cultures carry no number formats of their own).
/// </summary>
public static class PortalTime
{
    public const string ZoneCookie = "pitwall-tz";

    /// <summary>The account's own choice, which wins over the browser's.</summary>
    public const string ChosenZoneCookie = "pitwall-tz-account";

    private static readonly AsyncLocal<TimeZoneInfo?> RequestZone = new();

    private static readonly NumberFormatInfo Point = NumberFormatInfo.InvariantInfo;
    private static readonly NumberFormatInfo GermanNumbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };
    private static readonly NumberFormatInfo FrenchNumbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "\u202F" };

    public static TimeZoneInfo Zone => RequestZone.Value ?? TimeZoneInfo.Utc;

    /// <summary>The number format of the page's language.</summary>
    public static NumberFormatInfo Numbers => NumbersOf(CultureInfo.CurrentUICulture);

    /// <summary>The number format of a language (e-mails are written in the account's, not the request's).</summary>
    public static NumberFormatInfo NumbersOf(CultureInfo culture) => culture.Name.Split('-')[0] switch // invariant cultures know no ISO names
    {
        "de" => GermanNumbers,
        "fr" => FrenchNumbers,
        _ => Point,
    };

    /// <summary>Takes the request's time zone for the rest of it (a portal middleware calls this).</summary>
    public static void Use(HttpContext context) =>
        RequestZone.Value = Find(context.Request.Cookies[ChosenZoneCookie]) ?? Find(context.Request.Cookies[ZoneCookie]);

    /// <summary>Remembers the account's time zone in this browser (at sign-in and when the profile changes it); null forgets it,
    /// so that the browser's counts again.</summary>
    public static void Choose(HttpResponse response, string? zone)
    {
        if (Find(zone) is null)
        {
            response.Cookies.Delete(ChosenZoneCookie);
            return;
        }
        response.Cookies.Append(ChosenZoneCookie, zone!,
            new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
    }

    private static TimeZoneInfo? Find(string? id) =>
        id is { Length: > 0 and <= 64 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>E.g. <c>2026-12-06 20:05:12 UTC+1</c>.</summary>
    public static string When(DateTimeOffset at, bool seconds = true) => When(at, Zone, seconds);

    /// <summary>As <see cref="When(DateTimeOffset, bool)"/> in a given time zone (the account's, for what is sent to it).</summary>
    public static string When(DateTimeOffset at, TimeZoneInfo zone, bool seconds)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return local.ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + Offset(local.Offset);
    }

    /// <summary>The day in the user's time zone, e.g. <c>2026-12-06</c>.</summary>
    public static string Day(DateTimeOffset at) => Day(at, Zone);

    public static string Day(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The time of day in a time zone with its offset, e.g. <c>14:05 UTC+1</c>.</summary>
    public static string TimeOfDay(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return local.ToString("HH:mm", CultureInfo.InvariantCulture) + " " + Offset(local.Offset);
    }

    /// <summary>An IANA time zone by id; null for none or an unknown one.</summary>
    public static TimeZoneInfo? FindZone(string? id) => Find(id);

    /// <summary>An amount in minor units (cents) in the page's number format with its ISO currency, e.g. <c>89,00 EUR</c>.</summary>
    public static string Money(long minor, string currency) => (minor / 100m).ToString("#,0.00", Numbers) + " " + currency;

    /// <summary>An amount in minor units as a form field holds it: <c>89.00</c>, without grouping, in any language.</summary>
    public static string Amount(long minor) => (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Offset(TimeSpan offset) =>
        offset == TimeSpan.Zero ? "UTC"
        : $"UTC{(offset < TimeSpan.Zero ? "−" : "+")}{offset.Duration().Hours}{(offset.Minutes != 0 ? $":{offset.Duration().Minutes:00}" : "")}";
}
