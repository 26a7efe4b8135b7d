using Pitwall.Server.Data;
using Pitwall.Server.Features.Breakdown.Diagnosis;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>
/// What each side sees of a case. The minimum without consent (decided here, documented in the privacy register): the fact of the
/// call (id, kind, source, state, times), the car type, the number to call back, the agent's own actions — and the position only
/// when the driver agreed to show it. The VIN, the snapshot, the diagnosis and live diagnoses need the driver's consent for this
/// call. An emergency call shows everything: its data goes to the centre by law (P1).
/// </summary>
internal static class CaseViews
{
    public static QueueEntryResponse Entry(AssistanceCase k, string agentId, DateTimeOffset now) => new(
        k.Id, Kind(k), k.State, k.Source, StoredTime.Read(k.OpenedAt), Waiting(k, now), k.Model, k.ClaimedBy == agentId, k.ClaimedBy is not null, k.Action);

    public static CaseResponse Agent(AssistanceCase k, CallConsent consent, string agentId, DateTimeOffset now)
    {
        var withheld = new List<string>();
        if (!consent.Assistance)
        {
            withheld.AddRange(["vin", "snapshot", "diagnosis"]);
        }
        if (!consent.Position)
        {
            withheld.Add("position");
        }
        var snapshot = consent.Assistance && k.Kind == CaseKind.Breakdown ? Snapshots.Read<BreakdownSnapshot>(k.Snapshot) : null;
        if (snapshot is not null && !consent.Position)
        {
            snapshot = snapshot with { LastPositions = [] };
        }
        return new CaseResponse(
            k.Id, Kind(k), k.State, k.Source, StoredTime.Read(k.OpenedAt), Waiting(k, now), k.ClaimedBy == agentId, k.Action, Time(k.EtaAt), k.TowDealerId,
            Time(k.ClosedAt), k.Model, k.CallbackNumber, Consent(k, consent), consent.Assistance ? k.Vin : null,
            consent.Position ? Position(k) : null, snapshot,
            k.Kind == CaseKind.Emergency ? Snapshots.Read<EmergencySnapshot>(k.Snapshot) : null,
            consent.Assistance ? Snapshots.Read<DiagnosisResult>(k.Diagnosis) : null, withheld);
    }

    public static IReadOnlyList<TimelineEntryResponse> Timeline(IEnumerable<CaseEvent> events, CallConsent consent) =>
        [.. events.Select(e => e.Kind == CaseEventKinds.LiveAnswered
            ? new TimelineEntryResponse(StoredTime.Read(e.At), e.Kind, e.Actor, null, e.RequestId, consent.Assistance ? Snapshots.Read<LiveDiagnosisView>(e.Detail) : null)
            : new TimelineEntryResponse(StoredTime.Read(e.At), e.Kind, e.Actor, e.Detail, e.RequestId, null))];

    /// <summary>The driver's view: everything about the call, their consents, the timeline without the agents' account ids.</summary>
    public static DriverCallResponse Driver(AssistanceCase k, CallConsent consent, IEnumerable<CaseEvent> events) => new(
        k.Id, Kind(k), k.State, k.Source, StoredTime.Read(k.OpenedAt), k.Action, Time(k.EtaAt), k.TowDealerId, Time(k.ClosedAt), Consent(k, consent),
        Snapshots.Read<DiagnosisResult>(k.Diagnosis),
        [.. Timeline(events.Where(e => e.Kind != CaseEventKinds.Note), BreakdownConsents.Everything).Select(t => t with { Actor = t.Actor is "car" or "driver" ? t.Actor : "assistance" })]);

    public static ConsentResponse Consent(AssistanceCase k, CallConsent consent) => new(consent.Assistance, consent.Position, consent.ToDealer, consent.ToDealer ? k.DealerId : null);

    private static PositionResponse? Position(AssistanceCase k) =>
        k is { Latitude: { } lat, Longitude: { } lon } ? new PositionResponse(lat, lon, k.AccuracyM, Time(k.PositionAt)) : null;

    private static string Kind(AssistanceCase k) => k.Kind == CaseKind.Emergency ? "emergency" : "breakdown";

    private static long Waiting(AssistanceCase k, DateTimeOffset now) =>
        Math.Max(0, ((k.ClosedAt ?? now.ToUnixTimeMilliseconds()) - k.OpenedAt) / 1000);

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? StoredTime.Read(v) : null;
}
