namespace Pitwall.Server.Features.Dealers;

/// <summary>The stable problem codes of dealers and service appointments (clients switch on these; never rename one).</summary>
internal static class DealerErrorCodes
{
    /// <summary>The appointment is in a state the move cannot start from (e.g. accepting what was never proposed).</summary>
    public const string AppointmentStateConflict = "appointment_state_conflict";

    /// <summary>Navigation or a request without a dealer id, for a car whose owner chose no preferred dealer.</summary>
    public const string NoPreferredDealer = "no_preferred_dealer";

    /// <summary>A dealer account that no dealer is linked to (an administrator links it).</summary>
    public const string DealerAccountNotLinked = "dealer_account_not_linked";
}
