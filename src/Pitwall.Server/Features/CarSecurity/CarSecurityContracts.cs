using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.CarSecurity;

public sealed record PositionResponse(double Latitude, double Longitude)
{
    /// <summary>The position, when both coordinates are known.</summary>
    public static PositionResponse? Of(double? latitude, double? longitude) =>
        latitude is { } lat && longitude is { } lon ? new PositionResponse(lat, lon) : null;
}

/// <param name="Urgency">0–100; the queue is ordered by it, then by age.</param>
/// <param name="TheftMode">Whether the car is in theft mode now (it started and has not said it ended).</param>
public sealed record CaseSummaryResponse(
    string Id, string Vin, string Source, string Reason, string State, string? Outcome, int Urgency, string? AssignedTo, DateTimeOffset OpenedAt,
    DateTimeOffset? LastTrackedAt, PositionResponse? LastPosition, double? LastSpeedMps, bool TheftMode)
{
    public static CaseSummaryResponse From(TheftCase k) => new(k.Id, k.Vin, k.Source, k.Reason, k.State, k.Outcome, k.Urgency, k.AssignedTo, k.OpenedAt,
        k.LastTrackedAt, PositionResponse.Of(k.LastLatitude, k.LastLongitude), k.LastSpeedMps, k.InTheftMode);
}

public sealed record VehicleDescription(string Model, int ModelYear, string? Colour, string? RegistrationNumber);

/// <param name="Index">1 = call first.</param>
public sealed record PhoneNumberResponse(int Index, string Number);

/// <summary>What the SOC sees of the owner's B2 data: the numbers to call in order and the question to ask; never the answer.</summary>
public sealed record OwnerContactResponse(IReadOnlyList<PhoneNumberResponse> PhoneNumbers, string SecurityQuestion);

public sealed record CaseResponse(
    CaseSummaryResponse Case, VehicleDescription? Vehicle, OwnerContactResponse? Contact, int IdentityAttempts, int IdentityAttemptsLeft, bool IdentityVerified,
    string? AuthorityAccountId, string? AuthorityReference, string? Circumstances, DateTimeOffset? TheftModeStartedAt, DateTimeOffset? TheftModeEndedAt,
    DateTimeOffset? ConfirmedAt, DateTimeOffset? ClosedAt, int TrackingIntervalSeconds);

/// <summary>What an authority sees of a case handed to it: the car and the circumstances; no phone numbers, no question.</summary>
internal sealed record AuthorityCaseResponse(
    string Id, string Vin, string State, string? Outcome, string Reason, VehicleDescription? Vehicle, string? AuthorityReference, string? Circumstances,
    DateTimeOffset OpenedAt, DateTimeOffset? TheftModeStartedAt, DateTimeOffset? TheftModeEndedAt, DateTimeOffset? ConfirmedAt, DateTimeOffset? ClosedAt,
    DateTimeOffset? LastTrackedAt, PositionResponse? LastPosition, double? LastSpeedMps)
{
    public static AuthorityCaseResponse From(TheftCase k, VehicleDescription? vehicle) => new(k.Id, k.Vin, k.State, k.Outcome, k.Reason, vehicle,
        k.AuthorityReference, k.Circumstances, k.OpenedAt, k.TheftModeStartedAt, k.TheftModeEndedAt, k.ConfirmedAt, k.ClosedAt, k.LastTrackedAt,
        PositionResponse.Of(k.LastLatitude, k.LastLongitude), k.LastSpeedMps);
}

/// <summary>What the owner sees of a case: its course, not the track (the SOC and the police handle the car).</summary>
public sealed record OwnerCaseResponse(
    string Id, string Source, string Reason, string State, string? Outcome, bool HandedToPolice, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt)
{
    public static OwnerCaseResponse From(TheftCase k) =>
        new(k.Id, k.Source, k.Reason, k.State, k.Outcome, k.AuthorityAccountId is not null, k.OpenedAt, k.ClosedAt);
}

/// <summary>A theft of the car while it had no Car Security (B4): nobody tracked it; the package cannot be bought until it ended.</summary>
/// <param name="Source">car (the car entered theft mode) or owner (reported in the app).</param>
/// <param name="EndedAt">Null while it lasts: the car left theft mode, or the owner said the car is back.</param>
public sealed record UncoveredTheftResponse(string Id, string Source, string Reason, DateTimeOffset StartedAt, DateTimeOffset? EndedAt)
{
    public static UncoveredTheftResponse From(UncoveredTheft u) => new(u.Id, u.Source, u.Reason, u.StartedAt, u.EndedAt);
}

internal sealed record GsmCellResponse(long Mcc, long Mnc, long Lac, long CellId, long? SignalDbm);

/// <param name="Phase">started, tracking or ended.</param>
/// <param name="GsmAntenna">ok, no_signal, disconnected, short_circuit or unknown; so is gpsAntenna.</param>
internal sealed record TrackPointResponse(
    long Seq, string Phase, DateTimeOffset RecordedAt, PositionResponse? Position, double? AccuracyM, GsmCellResponse? GsmCell, double SpeedMps, bool IgnitionOn,
    bool EngineRunning, double RemainingRangeM, double OdometerM, double? BatteryVoltageV, double? FuelLevelPercent, string GsmAntenna, string GpsAntenna)
{
    public static TrackPointResponse From(TrackingPoint p) => new(p.Seq, p.Phase, p.RecordedAt,
        PositionResponse.Of(p.Latitude, p.Longitude), p.AccuracyM,
        p.GsmCell is { } g ? new GsmCellResponse(g.Mcc, g.Mnc, g.Lac, g.CellId, g.SignalDbm) : null, p.SpeedMps, p.IgnitionOn, p.EngineRunning,
        p.RemainingRangeM, p.OdometerM, p.BatteryVoltageV, p.FuelLevelPercent, p.GsmAntenna, p.GpsAntenna);
}

/// <param name="ActorRole">soc_operator, authority, owner, car or system.</param>
/// <param name="SubjectAccountId">Whom the entry is about: the operator a case was handed to, the authority that got it.</param>
internal sealed record AuditResponse(DateTimeOffset At, string? ActorAccountId, string ActorRole, string Action, string Detail, string? SubjectAccountId)
{
    public static AuditResponse From(AuditEntry e) => new(e.At, e.ActorAccountId, e.ActorRole, e.Action, e.Detail, e.SubjectAccountId);
}

/// <param name="Outcome">reached, no_answer, busy, voicemail or wrong_number.</param>
public sealed record ContactAttemptResponse(DateTimeOffset At, string? OperatorId, int PhoneIndex, string Outcome, string? Note)
{
    internal static ContactAttemptResponse From(ContactAttempt a) => new(a.At, a.OperatorId, a.PhoneIndex, a.Outcome, a.Note);
}

/// <param name="NextPhoneIndex">The number to call next (after the last one, the first again); null when the owner stored none
/// or has been reached.</param>
public sealed record ContactLogResponse(IReadOnlyList<ContactAttemptResponse> Attempts, int? NextPhoneIndex);

internal sealed record NoteRequest(string? Note);

/// <param name="Reference">The authority's own file number for the case, 1 to 100 characters.</param>
internal sealed record AuthorityReferenceRequest(string? Reference);

/// <param name="ToOperatorId">Another SOC operator's account id; null puts the case back in the queue.</param>
public sealed record HandOverRequest(string? ToOperatorId, string? Note);

/// <param name="PhoneIndex">Which stored number was called (1 = the first); they are called in order.</param>
/// <param name="Outcome">reached, no_answer, busy, voicemail or wrong_number.</param>
public sealed record ContactAttemptRequest(int? PhoneIndex, string? Outcome, string? Note);

internal sealed record IdentityCheckRequest(string? Answer);

/// <param name="AttemptsLeft">Wrong answers still allowed; at 0 the check is locked for this case.</param>
public sealed record IdentityCheckResponse(bool Verified, int AttemptsLeft);

/// <param name="Outcome">false_alarm (the owner is with the car: close), theft_confirmed (hand to the authority) or recovered (close).</param>
/// <param name="AuthorityAccountId">With theft_confirmed: the account of the responsible authority.</param>
/// <param name="Circumstances">With theft_confirmed: what happened, for the authority's report.</param>
public sealed record OutcomeRequest(string? Outcome, string? AuthorityAccountId, string? Circumstances, string? Note);

internal sealed record TrackingIntervalRequest(int? Seconds);

/// <param name="Url">The anonymous URL of the case's track behind the key (no VIN, no name).</param>
public sealed record MapKeyResponse(string Key, DateTimeOffset ExpiresAt, string Url);

/// <param name="Circumstances">Where and when the car was last seen, what happened.</param>
internal sealed record TheftReportRequest(string? Circumstances);

/// <param name="Vin">The car the authority wants tracked; its registration number must match too.</param>
/// <param name="Reference">The authority's file number.</param>
public sealed record AuthorityTrackingRequest(string? Vin, string? RegistrationNumber, string? Reference, string? Circumstances);

/// <param name="Reason">unauthorised_movement, tampering or alarm.</param>
/// <param name="SuspendedUntil">When the reason is switched off, until when; null = on.</param>
public sealed record TriggerResponse(string Reason, bool Enabled, DateTimeOffset? SuspendedUntil);

/// <param name="SuspendedUntil">Switch the reason off until then (at most 30 days ahead); null switches it on again.</param>
internal sealed record TriggerRequest(DateTimeOffset? SuspendedUntil);

/// <param name="LastHealthCheckAt">E4: when the car last proved its tracking unit works.</param>
/// <param name="HealthCheckMissed">The monthly check is overdue and was flagged.</param>
public sealed record CarSecurityResponse(IReadOnlyList<TriggerResponse> Triggers, DateTimeOffset? LastHealthCheckAt, bool HealthCheckMissed, bool Stolen);

internal sealed record MissedHealthCheckResponse(string Vin, DateTimeOffset? LastCheckAt, DateTimeOffset FlaggedAt);

internal static class Describe
{
    public static VehicleDescription? Vehicle(Vehicle? vehicle, CarSecurityContact? contact) => vehicle is null
        ? null
        : new VehicleDescription(vehicle.Model, vehicle.ModelYear, contact?.Colour ?? vehicle.Colour, contact?.RegistrationNumber ?? vehicle.RegistrationNumber);
}

/// <summary>The payloads of the SOC's live events.</summary>
internal static class SocEvents
{
    public static object Tracking(string caseId, string vin, TrackingPoint p, int urgency) =>
        new { caseId, vin, urgency, point = TrackPointResponse.From(p) };
}
