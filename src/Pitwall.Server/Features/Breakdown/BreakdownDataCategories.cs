using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>
/// What the breakdown call keeps (F2, P1, P3–P5). A breakdown call's data — the snapshot, the diagnosis, live diagnoses, the
/// position, the timeline — is kept 7 days from the call for its transmission (consent given in the call). An emergency call's
/// data is kept 90 days from the call: the platform's choice of what a legal obligation requires — the call's handling must be
/// documented for the rescue services, insurers and any inquiry (cf. eCall, Regulation (EU) 2015/758, which keeps data no
/// longer than needed to handle the emergency: 90 days covers the follow-up of a rescue and its complaints).
/// </summary>
internal static class BreakdownDataCategories
{
    private const string OwnBreakdowns = "case_id IN (SELECT id FROM breakdown_cases WHERE account_id = @accountId)";
    private const string OwnEmergencies = "case_id IN (SELECT id FROM emergency_cases WHERE account_id = @accountId)";

    /// <summary>The assistance centre's call-centre provider: may work outside the EEA (the seed says so).</summary>
    public static readonly Processor CallCentre = new("Assistance call-centre provider",
        "takes the breakdown call for the assistance centre, sees the call's data as far as the driver consented, sends help", true,
        DataElement.Vin, DataElement.VehicleDescription, DataElement.Position, DataElement.Time, DataElement.VehicleSignals, DataElement.PhoneNumber,
        DataElement.Text);

    public static readonly DataCategory Breakdowns = new(
        "breakdown_calls", "Breakdown calls",
        "Take the driver's breakdown call (F2): the fact of the call and the number to call back; with the driver's consent for this " +
        "call the snapshot the car sent (identification, usage and operating data, condition, fault memory, live values, position and " +
        "movement), its diagnosis and live diagnoses go to the assistance centre, the position to send help, and the snapshot to the " +
        "dealer of the driver's choice to prepare the next service; the agent's actions and notes, and what the driver was told.",
        LegalBasis.Consent, Retention.Days(7), true,
        [
            new("breakdown_cases", "opened_at") { AccountRows = "account_id = @accountId" },
            new("breakdown_case_events") { AccountRows = OwnBreakdowns },
        ],
        [
            CallCentre,
            new("Dealer of the driver's choice", "prepares the next service from the breakdown's snapshot (only with the driver's consent)", false,
                DataElement.Vin, DataElement.VehicleDescription, DataElement.Time, DataElement.VehicleSignals),
        ]);

    public static readonly DataCategory Emergencies = new(
        "emergency_calls", "Emergency calls",
        "Get help to the car's occupants after a crash or an SOS call (P1: passes private mode and every switch): position, direction " +
        "and last positions, occupants if known, car type and propulsion, the number to call back, and how the assistance centre " +
        "handled the call.",
        LegalBasis.LegalObligation, new Retention(RetentionKind.Period, TimeSpan.FromDays(90), "90 days from the call (documentation of the emergency's handling)"), true,
        [
            new("emergency_cases", "opened_at") { AccountRows = "account_id = @accountId" },
            new("emergency_case_events") { AccountRows = OwnEmergencies },
        ],
        [
            CallCentre,
            new("Public emergency services (112)", "rescue the occupants: the centre passes the call on", false,
                DataElement.VehicleDescription, DataElement.Position, DataElement.Time, DataElement.PhoneNumber),
        ]);
}
