using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Dealers;

/// <summary>What a request or a dealer's answer must satisfy; the fields that are wrong go into the errors.</summary>
internal static class AppointmentRules
{
    public const int MaxSlots = 3;
    public const int MaxReasonLength = 500;
    public const int MaxNoteLength = 500;
    public const int DefaultDurationMinutes = 60;
    public static readonly TimeSpan Earliest = TimeSpan.FromHours(1);
    public static readonly TimeSpan Latest = TimeSpan.FromDays(180);

    /// <summary>One to three starts, each at least an hour ahead, at most 180 days ahead, within the dealer's opening hours.</summary>
    public static IReadOnlyList<DateTimeOffset> Slots(IReadOnlyList<DateTimeOffset>? slots, Dealer? dealer, DateTimeOffset now, ValidationErrors errors)
    {
        if (slots is not { Count: >= 1 and <= MaxSlots })
        {
            errors.Add("slots", $"Between 1 and {MaxSlots} wished start times.");
            return [];
        }
        var chosen = slots.Select(s => s.ToUniversalTime()).Distinct().Order().ToList();
        if (chosen.Any(s => !Ahead(s, now)))
        {
            errors.Add("slots", "Each start at least an hour and at most 180 days ahead.");
        }
        else if (dealer is not null && chosen.Any(s => !dealer.IsOpenAt(s)))
        {
            errors.Add("slots", "Each start within the dealer's opening hours.");
        }
        return chosen;
    }

    public static bool Ahead(DateTimeOffset start, DateTimeOffset now) => start >= now + Earliest && start <= now + Latest;

    public static string? Text(string? text, int max, string field, ValidationErrors errors)
    {
        var trimmed = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (trimmed?.Length > max)
        {
            errors.Add(field, $"At most {max} characters.");
        }
        return trimmed;
    }

    public static int Duration(int? minutes, ValidationErrors errors)
    {
        var duration = minutes ?? DefaultDurationMinutes;
        if (duration is < 15 or > 480)
        {
            errors.Add("durationMinutes", "Between 15 and 480 minutes.");
        }
        return duration;
    }

    /// <summary>The start a dealer's move sets: a confirm takes a requested slot (the first when none is named), a proposal names a
    /// time ahead; the other moves keep what the appointment has.</summary>
    public static DateTimeOffset? Start(AppointmentMove move, Appointment appointment, DateTimeOffset? startsAt, DateTimeOffset now, ValidationErrors errors)
    {
        switch (move)
        {
            case AppointmentMove.Confirm:
                var slot = startsAt?.ToUniversalTime() ?? appointment.RequestedSlots.FirstOrDefault();
                if (!appointment.RequestedSlots.Contains(slot))
                {
                    errors.Add("startsAt", "Confirm one of the requested slots, or propose another time.");
                }
                return slot;
            case AppointmentMove.Propose:
                if (startsAt is not { } proposed || !Ahead(proposed, now))
                {
                    errors.Add("startsAt", "A start at least an hour and at most 180 days ahead.");
                    return null;
                }
                return proposed.ToUniversalTime();
            default:
                return appointment.StartsAt;
        }
    }
}
