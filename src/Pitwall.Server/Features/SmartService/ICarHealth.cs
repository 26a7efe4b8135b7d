namespace Pitwall.Server.Features.SmartService;

/// <summary>
/// What other features may ask of the Smart Service about a car (F1): its health and what is due — e.g. the dealers feature
/// prefills an appointment's reason and shows the dealer the car's data. Reads what is stored; never contacts the car. No
/// access check: the caller has passed its own gate for the VIN.
/// </summary>
public interface ICarHealth
{
    /// <summary>The components' state and predicted maintenance, the open faults, and the last log; null when the car never sent one.</summary>
    Task<CarHealthSummary?> ReadAsync(string vin, CancellationToken cancellationToken);

    /// <summary>What is due now or soon and the open faults, as short English lines (e.g. "Brake pads (front): due soon"), most urgent first.</summary>
    Task<IReadOnlyList<string>> DueItemsAsync(string vin, CancellationToken cancellationToken);

    /// <summary>One component's condition over time and distance (oldest first); null for an unknown component key.</summary>
    Task<ComponentHistory?> HistoryAsync(string vin, string component, CancellationToken cancellationToken);
}

/// <param name="LastLogAt">When the car took its latest log.</param>
/// <param name="OdometerMetres">The odometer in that log.</param>
public sealed record CarHealthSummary(
    string Vin, DateTimeOffset LastLogAt, double? OdometerMetres, IReadOnlyList<ComponentHealth> Components, IReadOnlyList<OpenFault> Faults);

/// <param name="Id">The component's key (e.g. <c>brake_pads_front</c>, see the protocol's component catalogue).</param>
/// <param name="State"><c>ok</c>, <c>due_soon</c>, <c>due_now</c> or <c>fault</c>.</param>
/// <param name="Value">The condition the car last reported, in <paramref name="Unit"/>.</param>
/// <param name="PredictedDate">When the next maintenance is predicted (trend and fixed intervals combined); null without a prediction.</param>
/// <param name="PredictedOdometerMetres">At what odometer reading.</param>
/// <param name="Confidence">0..1: how well the trend fits and how far it is extrapolated; null without a trend.</param>
/// <param name="DataPoints">The condition reports the trend was fitted to.</param>
/// <param name="Basis"><c>trend</c>, <c>interval</c>, <c>trend_and_interval</c> or <c>condition</c> (a level or pressure, no prediction).</param>
public sealed record ComponentHealth(
    string Id, string State, double Value, string Unit, DateTimeOffset RecordedAt, DateTimeOffset? PredictedDate, double? PredictedOdometerMetres,
    double? Confidence, int DataPoints, string Basis);

/// <param name="Status"><c>pending</c>, <c>confirmed</c> or <c>permanent</c>.</param>
/// <param name="Recommendation">What the owner should do (English; the portal translates it).</param>
/// <param name="Severity"><c>high</c>, <c>medium</c> or <c>low</c>.</param>
public sealed record OpenFault(
    string Code, string Description, string Recommendation, string Severity, string Status, string ControlUnit, DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen, int Occurrences, bool WarningLamp, IReadOnlyList<FreezeFrameValue> FreezeFrame);

public sealed record FreezeFrameValue(string Name, double Value, string Unit);

public sealed record ComponentHistory(string Vin, string Component, string Unit, IReadOnlyList<ConditionPoint> Points);

public sealed record ConditionPoint(DateTimeOffset RecordedAt, double OdometerMetres, double Value);
