using System.Globalization;
using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging.Ocpi;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>Where a charge stands at the start of one of its charging periods: what OCPI 2.2.1 TariffRestrictions are checked against.</summary>
/// <param name="At">The period's start.</param>
/// <param name="EnergySoFarKwh">Energy charged in the session before this period.</param>
/// <param name="PowerKw">The period's charging power (its MAX_POWER or POWER dimension, else its energy over its charging time); null
/// when unknown.</param>
/// <param name="CurrentA">The period's current (its MAX_CURRENT or CURRENT dimension); null when unknown.</param>
internal sealed record ChargeMoment(DateTimeOffset At, DateTimeOffset SessionStart, decimal EnergySoFarKwh, decimal? PowerKw, decimal? CurrentA, TimeZoneInfo Zone);

/// <summary>
/// OCPI 2.2.1 TariffRestrictions: whether a TariffElement is active at a moment of a charge. Times of day and dates are the local
/// time of the charge (<see cref="ChargeMoment.Zone"/>); <c>start_time</c>/<c>start_date</c> and the <c>min_</c> limits are
/// inclusive, <c>end_time</c>/<c>end_date</c> and the <c>max_</c> limits exclusive; an <c>end_time</c> before the
/// <c>start_time</c> runs over midnight. <c>min_duration</c>/<c>max_duration</c> are seconds since the session began. An element
/// restricted to a reservation never applies to a charge (Pitwall makes no reservations). A power or current limit the charge's data
/// cannot answer makes the element not apply (the next element counts).
/// </summary>
internal static class TariffRestrictions
{
    public static bool Apply(JsonObject? r, ChargeMoment m)
    {
        if (r is null)
        {
            return true;
        }
        if (r["reservation"] is not null)
        {
            return false;
        }
        var local = TimeZoneInfo.ConvertTime(m.At, m.Zone);
        if (!TimeOfDay(r.Text("start_time"), r.Text("end_time"), local.TimeOfDay))
        {
            return false;
        }
        var date = DateOnly.FromDateTime(local.DateTime);
        if (Date(r.Text("start_date")) is { } from && date < from || Date(r.Text("end_date")) is { } until && date >= until)
        {
            return false;
        }
        if (r["day_of_week"] is JsonArray days && !days.Any(d => d?.GetValue<string>() == local.DayOfWeek.ToString().ToUpperInvariant()))
        {
            return false;
        }
        var seconds = (decimal)(m.At - m.SessionStart).TotalSeconds;
        return Within(r.Number("min_kwh"), r.Number("max_kwh"), m.EnergySoFarKwh)
               && Within(r.Number("min_duration"), r.Number("max_duration"), seconds)
               && Limited(r.Number("min_power"), r.Number("max_power"), m.PowerKw)
               && Limited(r.Number("min_current"), r.Number("max_current"), m.CurrentA);
    }

    private static bool Within(decimal? min, decimal? max, decimal value) => (min is null || value >= min) && (max is null || value < max);

    private static bool Limited(decimal? min, decimal? max, decimal? value) =>
        min is null && max is null || value is { } v && Within(min, max, v);

    private static bool TimeOfDay(string? start, string? end, TimeSpan now)
    {
        var from = Clock(start);
        var until = Clock(end);
        return (from, until) switch
        {
            (null, null) => true,
            ({ } f, null) => now >= f,
            (null, { } u) => now < u,
            ({ } f, { } u) when f <= u => now >= f && now < u,
            ({ } f, { } u) => now >= f || now < u, // over midnight
        };
    }

    private static TimeSpan? Clock(string? text) =>
        TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out var time) ? time : null;

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
