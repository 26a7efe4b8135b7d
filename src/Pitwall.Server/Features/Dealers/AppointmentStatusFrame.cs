using Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.Dealers;

/// <summary>An appointment's state for the car's display (F1, <c>AppointmentStatus</c> in the vehicle protocol), queued with every
/// move in the move's transaction.</summary>
internal static class AppointmentStatusFrame
{
    /// <summary>A status the car has not fetched within 30 days is stale (the appointment is over, or a newer one is queued).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public static Envelope For(Appointment a, Dealer dealer, DateTimeOffset now) => new()
    {
        SentAtMs = now.ToUnixTimeMilliseconds(),
        AppointmentStatus = new AppointmentStatus
        {
            AppointmentId = a.Id, RequestId = a.CarRequestId ?? "", State = StateOf(a.State), DealerId = dealer.Id, DealerName = dealer.Name,
            StartsAtMs = a.StartsAt?.ToUnixTimeMilliseconds() ?? 0, DurationMinutes = (uint)a.DurationMinutes, DealerNote = a.DealerNote ?? "",
            UpdatedAtMs = a.UpdatedAt.ToUnixTimeMilliseconds(),
        },
    };

    private static AppointmentStatus.Types.State StateOf(string state) => state switch
    {
        AppointmentStates.Requested => AppointmentStatus.Types.State.Requested,
        AppointmentStates.Proposed => AppointmentStatus.Types.State.Proposed,
        AppointmentStates.Confirmed => AppointmentStatus.Types.State.Confirmed,
        AppointmentStates.Declined => AppointmentStatus.Types.State.Declined,
        AppointmentStates.Cancelled => AppointmentStatus.Types.State.Cancelled,
        AppointmentStates.Completed => AppointmentStatus.Types.State.Completed,
        _ => AppointmentStatus.Types.State.Unspecified,
    };
}
