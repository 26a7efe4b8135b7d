using Pitwall.Server.Features.Breakdown.Diagnosis;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>One line of the assistance centre's queue: only what is needed to take the call (no VIN, no position, no data).</summary>
public sealed record QueueEntryResponse(
    string Id, string Kind, string State, string Source, DateTimeOffset OpenedAt, long WaitingSeconds, string? Model, bool ClaimedByMe, bool Claimed, string? Action);

public sealed record ConsentResponse(bool Assistance, bool Position, bool Dealer, string? DealerId);

public sealed record PositionResponse(double Latitude, double Longitude, double? AccuracyM, DateTimeOffset? RecordedAt);

/// <summary>A case as the agent sees it. Without the driver's consent: the fact of the call, its state, the car type, the number to
/// call back and the position only if the driver agreed to show it (<paramref name="Withheld"/> names what is not shown).
/// With consent: the VIN, the snapshot, the diagnosis. An emergency call shows everything (P1).</summary>
public sealed record CaseResponse(
    string Id, string Kind, string State, string Source, DateTimeOffset OpenedAt, long WaitingSeconds, bool ClaimedByMe, string? Action, DateTimeOffset? EtaAt,
    string? TowDealerId, DateTimeOffset? ClosedAt, string? Model, string? CallbackNumber, ConsentResponse Consent, string? Vin, PositionResponse? Position,
    BreakdownSnapshot? Snapshot, EmergencySnapshot? Emergency, DiagnosisResult? Diagnosis, IReadOnlyList<string> Withheld);

/// <param name="LiveDiagnosis">A live diagnosis's answer (shown only with the driver's consent).</param>
public sealed record TimelineEntryResponse(DateTimeOffset At, string Kind, string? Actor, string? Detail, string? RequestId, LiveDiagnosisView? LiveDiagnosis);

internal sealed record CaseNoteRequest(string? Note);

/// <param name="Action">roadside_help, tow or solved_by_phone.</param>
/// <param name="EtaMinutes">When help arrives, minutes from now (roadside help and tow).</param>
/// <param name="DealerId">A tow's destination; empty = the owner's preferred dealer.</param>
public sealed record CaseActionRequest(string? Action, int? EtaMinutes, string? DealerId, string? Note);

/// <param name="Values">Live values by name (battery_voltage, coolant_temperature, tyre_pressure_front_left, …); empty = the car's set.</param>
internal sealed record LiveDiagnosisAskRequest(IReadOnlyList<string>? Values);

public sealed record LiveDiagnosisAskedResponse(string RequestId, DateTimeOffset ExpiresAt);

/// <summary>The driver's breakdown call from the app, with the consent answers for this call.</summary>
/// <param name="DealerId">The dealer to share the snapshot with when <paramref name="Dealer"/>; empty = the preferred dealer.</param>
public sealed record StartBreakdownCallRequest(bool? Assistance, bool? Position, bool? Dealer, string? DealerId, string? CallbackNumber);

public sealed record BreakdownConsentRequest(bool? Assistance, bool? Position, bool? Dealer, string? DealerId);

/// <summary>A call as the driver sees it: its state, the help sent and its arrival, the consents, the timeline.</summary>
public sealed record DriverCallResponse(
    string Id, string Kind, string State, string Source, DateTimeOffset OpenedAt, string? Action, DateTimeOffset? EtaAt, string? TowDealerId,
    DateTimeOffset? ClosedAt, ConsentResponse Consent, DiagnosisResult? Diagnosis, IReadOnlyList<TimelineEntryResponse> Timeline);

/// <summary>A breakdown's snapshot as the dealer of the driver's choice gets it (only with the driver's consent).</summary>
internal sealed record DealerBreakdownResponse(string Id, string Vin, string? Model, DateTimeOffset OpenedAt, BreakdownSnapshot? Snapshot, DiagnosisResult? Diagnosis);
