namespace Pitwall.Server.Features.Dealers;

/// <summary>The states of a service appointment and the moves between them (F1).</summary>
/// <remarks>
/// requested → confirmed (the dealer takes a requested slot) | proposed (the dealer offers another) | declined | cancelled;
/// proposed → confirmed (the owner accepts) | proposed (the dealer offers again) | declined | cancelled;
/// confirmed → completed (the dealer, after the visit) | cancelled. Declined, cancelled and completed are final.
/// </remarks>
internal static class AppointmentStates
{
    public const string Requested = "requested";
    public const string Proposed = "proposed";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";
    public const string Cancelled = "cancelled";
    public const string Completed = "completed";

    /// <summary>An open appointment keeps the dealer's access to the car's data even when the owner revokes the preferred dealer.</summary>
    public static readonly IReadOnlyList<string> Open = [Requested, Proposed, Confirmed];

    /// <summary>The states each move may start from.</summary>
    public static IReadOnlyList<string> From(AppointmentMove move) => move switch
    {
        AppointmentMove.Confirm => [Requested],
        AppointmentMove.Propose => [Requested, Proposed],
        AppointmentMove.Decline => [Requested, Proposed],
        AppointmentMove.Accept => [Proposed],
        AppointmentMove.Cancel => Open,
        _ => [Confirmed],
    };

    public static string To(AppointmentMove move) => move switch
    {
        AppointmentMove.Confirm or AppointmentMove.Accept => Confirmed,
        AppointmentMove.Propose => Proposed,
        AppointmentMove.Decline => Declined,
        AppointmentMove.Cancel => Cancelled,
        _ => Completed,
    };
}

/// <summary>What the dealer (confirm, propose, decline, complete) or the owner (accept, cancel) does to an appointment.</summary>
public enum AppointmentMove
{
    Confirm,
    Propose,
    Decline,
    Accept,
    Cancel,
    Complete,
}

/// <summary>Where an appointment request came from.</summary>
internal static class AppointmentChannels
{
    public const string App = "app";
    public const string Portal = "portal";
    public const string Car = "car";
}

/// <summary>A service appointment as stored.</summary>
/// <param name="StartsAt">The start the dealer proposed or confirmed; null while only requested.</param>
/// <param name="CarRequestId">The car's id of the request when the driver asked in the car.</param>
internal sealed record Appointment(
    string Id, string Vin, string DealerId, string? RequestedBy, string Channel, string State, string Reason,
    IReadOnlyList<DateTimeOffset> RequestedSlots, DateTimeOffset? StartsAt, int DurationMinutes, string? DealerNote,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? CarRequestId = null)
{
    public bool IsOpen => AppointmentStates.Open.Contains(State);
}
