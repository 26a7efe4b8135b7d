using System.Data.Common;
using System.Globalization;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Dealers;

/// <summary>Who makes a move: the dealer (through its staff) or the car's side (its users, or the driver in the car).</summary>
internal abstract record AppointmentActor
{
    public sealed record OfDealer(string DealerId) : AppointmentActor;

    /// <param name="Since">The car's side sees the car's appointments since it got the car.</param>
    public sealed record OfCar(string Vin, DateTimeOffset Since) : AppointmentActor;

    public bool Sees(Appointment a) => this switch
    {
        OfDealer d => a.DealerId == d.DealerId,
        OfCar c => a.Vin == c.Vin && a.CreatedAt >= c.Since,
        _ => false,
    };
}

/// <param name="DealerId">Null = the car's preferred dealer.</param>
internal sealed record AppointmentRequest(string? DealerId, IReadOnlyList<DateTimeOffset>? Slots, string? Reason);

/// <param name="StartsAt">Confirm: one of the requested slots (default the first); propose: the new time.</param>
internal sealed record AppointmentAnswer(DateTimeOffset? StartsAt, int? DurationMinutes, string? Note);

/// <summary>
/// Service appointments (F1): requests from the app, the portal and the car, the dealer's answer, the owner's acceptance;
/// every move is checked against the state it starts from, written with its notifications in one transaction (the car's
/// users hear what the dealer did, the dealer's staff what the owner did).
/// </summary>
internal sealed class Appointments(
    Database database, AppointmentStore store, DealerCarData carData, INotifier notifier, IVehicleLink link, TimeProvider time)
{
    public static readonly Refusal AppointmentNotFound = Refusal.NotFound("No such appointment.");

    public static readonly Refusal NoPreferredDealer = Refusal.Conflict(
        DealerErrorCodes.NoPreferredDealer, "Choose a dealer, or set the car's preferred dealer first.");

    public static Refusal WrongState(Appointment a, AppointmentMove move) => Refusal.Conflict(
        DealerErrorCodes.AppointmentStateConflict, $"The appointment is {a.State}; it cannot be {Past(move)}.");

    /// <summary>Files a request with the dealer (the preferred one when none is named); the reason, when empty, says what is due.</summary>
    public async Task<(Appointment? Appointment, Refusal? Refusal)> RequestAsync(
        string vin, string? accountId, string channel, AppointmentRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new ValidationErrors();
        var reason = AppointmentRules.Text(request.Reason, AppointmentRules.MaxReasonLength, "reason", errors);
        var filled = reason ?? await carData.DueSummaryAsync(vin, cancellationToken);
        var (appointment, refusal) = await database.WriteAsync(async (c, t) =>
        {
            var dealerId = request.DealerId ?? await DealerStore.PreferredAsync(c, t, vin);
            if (dealerId is null)
            {
                return (null, NoPreferredDealer);
            }
            var dealer = await DealerStore.FindAsync(c, t, dealerId);
            if (dealer is null)
            {
                errors.Add("dealerId", "No such dealer.");
            }
            var slots = AppointmentRules.Slots(request.Slots, dealer, now, errors);
            if (errors.Any)
            {
                return (null, Refusal.Invalid(errors));
            }
            var filed = await FileAsync(c, t, vin, accountId, channel, null, dealer!, slots, filled, now);
            return ((Appointment?)filed, (Refusal?)null);
        }, cancellationToken);
        return (appointment, refusal);
    }

    /// <summary>Files a checked request in the caller's transaction and tells the dealer's staff.</summary>
    public async Task<Appointment> FileAsync(
        DbConnection c, DbTransaction t, string vin, string? accountId, string channel, string? carRequestId, Dealer dealer,
        IReadOnlyList<DateTimeOffset> slots, string reason, DateTimeOffset now)
    {
        var appointment = new Appointment(Guid.NewGuid().ToString("N"), vin, dealer.Id, accountId, channel, AppointmentStates.Requested, reason,
            slots, null, AppointmentRules.DefaultDurationMinutes, null, now, now, carRequestId);
        await AppointmentStore.InsertAsync(c, t, appointment, carRequestId);
        await TellDealerAsync(c, t, appointment, DealerNotifications.Requested,
            NotificationText.Of(DealerNotifications.NewRequestText, ("when", slots[0])), now);
        return appointment;
    }

    /// <summary>A move by the dealer or the car's side; an appointment the actor may not see reads as absent.</summary>
    public async Task<(Appointment? Appointment, Refusal? Refusal)> MoveAsync(
        AppointmentActor actor, string id, AppointmentMove move, AppointmentAnswer answer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await FindAsync(actor, id, cancellationToken) is not { } known)
        {
            return (null, AppointmentNotFound);
        }
        // The move, its notifications and the car's AppointmentStatus commit together (the link's outbox).
        var (moved, refusal) = await link.SendWithAsync(known.Vin, async (c, t, enqueue) =>
        {
            if (await AppointmentStore.FindAsync(c, t, id) is not { } a || !actor.Sees(a))
            {
                return (null, AppointmentNotFound);
            }
            if (!AppointmentStates.From(move).Contains(a.State))
            {
                return (null, WrongState(a, move));
            }
            var errors = new ValidationErrors();
            var startsAt = AppointmentRules.Start(move, a, answer.StartsAt, now, errors);
            var duration = actor is AppointmentActor.OfDealer ? AppointmentRules.Duration(answer.DurationMinutes ?? a.DurationMinutes, errors) : a.DurationMinutes;
            var note = actor is AppointmentActor.OfDealer ? AppointmentRules.Text(answer.Note, AppointmentRules.MaxNoteLength, "note", errors) ?? a.DealerNote : a.DealerNote;
            if (errors.Any)
            {
                return (null, Refusal.Invalid(errors));
            }
            if (!await AppointmentStore.MoveAsync(c, t, a.Id, AppointmentStates.From(move), AppointmentStates.To(move), startsAt, duration, note, now))
            {
                return (null, WrongState(a, move));
            }
            var after = a with { State = AppointmentStates.To(move), StartsAt = startsAt, DurationMinutes = duration, DealerNote = note, UpdatedAt = now };
            await TellAsync(c, t, actor, move, after, now, enqueue);
            return ((Appointment?)after, (Refusal?)null);
        }, cancellationToken);
        return (moved, refusal);
    }

    public async Task<Appointment?> FindAsync(AppointmentActor actor, string id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } a && actor.Sees(a) ? a : null;

    /// <summary>Tells the other side (the car's users, or the dealer's staff) and the car's display.</summary>
    private async Task TellAsync(
        DbConnection c, DbTransaction t, AppointmentActor actor, AppointmentMove move, Appointment a, DateTimeOffset now, EnqueueFrame toCar)
    {
        var dealer = (await DealerStore.FindAsync(c, t, a.DealerId))!;
        await toCar(AppointmentStatusFrame.For(a, dealer, now), now + AppointmentStatusFrame.Lifetime);
        // The time in the reader's time zone (a missing one reads empty).
        (string, object) when = ("when", a.StartsAt is { } start ? start : "");
        if (actor is AppointmentActor.OfDealer)
        {
            var text = move switch
            {
                AppointmentMove.Confirm => NotificationText.Of(DealerNotifications.ConfirmedText, ("dealer", dealer.Name), when),
                AppointmentMove.Propose => NotificationText.Of(DealerNotifications.ProposedText, ("dealer", dealer.Name), when),
                AppointmentMove.Decline => NotificationText.Of(DealerNotifications.DeclinedText, ("dealer", dealer.Name)),
                _ => NotificationText.Of(DealerNotifications.CompletedText, ("dealer", dealer.Name)),
            };
            await notifier.NotifyAsync(c, t, new Notification(a.Vin, DealerNotifications.Of(move).Id, text, now, Key(a, now, "car")));
            return;
        }
        var toDealer = move == AppointmentMove.Accept
            ? NotificationText.Of(DealerNotifications.AcceptedText, when)
            : NotificationText.Of(DealerNotifications.CancelledText);
        await TellDealerAsync(c, t, a, DealerNotifications.Of(move), toDealer, now);
    }

    /// <summary>Tells the car's users that the driver's request from the car went to the dealer.</summary>
    public Task TellCarUsersAsync(DbConnection c, DbTransaction t, Appointment a, Dealer dealer, DateTimeOffset now) =>
        notifier.NotifyAsync(c, t, new Notification(a.Vin, DealerNotifications.Requested.Id,
            NotificationText.Of(DealerNotifications.RequestedText, ("dealer", dealer.Name), ("when", a.RequestedSlots[0])), now, Key(a, now, "car")));

    private async Task TellDealerAsync(DbConnection c, DbTransaction t, Appointment a, NotificationType type, NotificationText text, DateTimeOffset now)
    {
        foreach (var staff in await DealerStore.StaffOfAsync(c, t, a.DealerId))
        {
            await notifier.NotifyAccountAsync(c, t, staff, new Notification(a.Vin, type.Id, text, now, Key(a, now, "dealer")));
        }
    }

    /// <summary>One per appointment, state, time and audience (the car's users or the dealer's staff).</summary>
    private static string Key(Appointment a, DateTimeOffset at, string audience) => $"appointment:{a.Id}:{a.State}:{at.ToUnixTimeMilliseconds()}:{audience}";

    /// <summary>A start as the dealer's clock shows it, e.g. "Tue 12 Jan 2027 09:00 (Europe/Berlin)".</summary>
    public static string Local(DateTimeOffset at, Dealer dealer) =>
        $"{TimeZoneInfo.ConvertTime(at, dealer.Zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} ({dealer.TimeZone})";

    private static string Past(AppointmentMove move) => move switch
    {
        AppointmentMove.Confirm => "confirmed",
        AppointmentMove.Propose => "given another time",
        AppointmentMove.Decline => "declined",
        AppointmentMove.Accept => "accepted",
        AppointmentMove.Cancel => "cancelled",
        _ => "completed",
    };
}
