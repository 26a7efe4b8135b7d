using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Pitwall.Server.Features.Dealers;

/// <summary>
/// The owner's calendar entry of an appointment (RFC 5545), made with Ical.Net rather than by hand: line folding, escaping and
/// the UTC forms are what calendar applications are strict about. A confirmed appointment is CONFIRMED, a proposed one
/// TENTATIVE, a cancelled or declined one CANCELLED (so an imported entry can be updated by the same UID).
/// </summary>
internal static class AppointmentCalendar
{
    public const string ContentType = "text/calendar; charset=utf-8";

    /// <returns>Null while no time is set (only requested).</returns>
    public static string? For(Appointment a, Dealer dealer, DateTimeOffset now)
    {
        if (a.StartsAt is not { } start)
        {
            return null;
        }
        var entry = new CalendarEvent
        {
            Uid = $"{a.Id}@appointments.pitwall",
            Summary = $"Service appointment at {dealer.Name}",
            Description = a.Reason + (a.DealerNote is { } note ? $"\n\n{dealer.Name}: {note}" : ""),
            Location = $"{dealer.Name}, {dealer.Address}",
            GeographicLocation = new GeographicLocation(dealer.Latitude, dealer.Longitude),
            DtStart = new CalDateTime(start.UtcDateTime),
            DtEnd = new CalDateTime(start.AddMinutes(a.DurationMinutes).UtcDateTime),
            DtStamp = new CalDateTime(now.UtcDateTime),
            Sequence = (int)Math.Min(int.MaxValue, (a.UpdatedAt - a.CreatedAt).Ticks / TimeSpan.TicksPerSecond),
            Status = a.State switch
            {
                AppointmentStates.Confirmed or AppointmentStates.Completed => EventStatus.Confirmed,
                AppointmentStates.Proposed => EventStatus.Tentative,
                _ => EventStatus.Cancelled,
            },
        };
        var calendar = new Calendar { Method = "PUBLISH", ProductId = "-//Pitwall//Service appointments//EN" };
        calendar.Events.Add(entry);
        return new CalendarSerializer().SerializeToString(calendar);
    }
}
