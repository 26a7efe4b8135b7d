using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Breakdown.Diagnosis;

namespace Pitwall.Server.Features.Breakdown;

public sealed record ControlUnitView(string Name, string PartNumber, string SoftwareVersion, string HardwareVersion);

public sealed record UsageView(double OdometerM, double OperatingTimeS, uint EngineStarts, double ChargeCycles, uint ShortTrips);

public sealed record ComponentView(string Component, double Value, string Unit);

public sealed record FaultView(string Code, string Status, string ControlUnit, bool WarningLamp, uint Occurrences);

public sealed record LiveValueView(string Name, double Value, string Unit);

public sealed record PositionView(double Latitude, double Longitude, double AccuracyM, DateTimeOffset RecordedAt);

/// <summary>What the car sent with a breakdown call (F2), as stored with the case: identification, usage and operating data, condition,
/// fault memory, live values and movement. The position itself is kept in the case's columns (shown only with consent).</summary>
public sealed record BreakdownSnapshot(
    DateTimeOffset RecordedAt, IReadOnlyList<ControlUnitView> ControlUnits, UsageView? Usage, IReadOnlyList<ComponentView> Components,
    IReadOnlyList<FaultView> Faults, IReadOnlyList<LiveValueView> LiveValues, double HeadingDeg, double SpeedMps,
    IReadOnlyList<PositionView> LastPositions, bool LiveDiagnosisSupported);

/// <summary>What the car sent with an emergency call (P1), as stored with the case.</summary>
public sealed record EmergencySnapshot(
    DateTimeOffset OccurredAt, string Trigger, double HeadingDeg, IReadOnlyList<PositionView> LastPositions, uint? Passengers,
    string Propulsion, string VehicleType);

/// <summary>A live diagnosis's answer as the timeline keeps it: what the car measured and what the engine made of it.</summary>
public sealed record LiveDiagnosisView(DateTimeOffset RecordedAt, string? Unavailable, IReadOnlyList<FaultView> Faults, IReadOnlyList<LiveValueView> Values, DiagnosisResult? Diagnosis);

/// <summary>Protobuf → stored views, and the JSON they are kept as.</summary>
internal static class Snapshots
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static BreakdownSnapshot From(BreakdownCall call) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(call.RecordedAtMs),
        [.. call.ControlUnits.Select(u => new ControlUnitView(u.Name, u.PartNumber, u.SoftwareVersion, u.HardwareVersion))],
        call.Usage is { } u ? new UsageView(u.OdometerM, u.OperatingTimeS, u.EngineStarts, u.ChargeCycles, u.ShortTrips) : null,
        [.. call.Components.Select(c => ComponentCatalog.Find(c.Id) is { } known ? new ComponentView(known.Key, c.Value, known.Unit) : null).OfType<ComponentView>()],
        Faults(call.Faults), Values(call.LiveValues), call.HeadingDeg, call.SpeedMps, Positions(call.LastPositions), call.LiveDiagnosisSupported);

    public static EmergencySnapshot From(EmergencyCall call) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(call.OccurredAtMs), Name(call.Trigger.ToString()), call.HeadingDeg, Positions(call.LastPositions),
        call.HasPassengers ? call.Passengers : null, Name(call.Propulsion.ToString()), call.VehicleType);

    public static IReadOnlyList<FaultView> Faults(IEnumerable<FaultEntry> faults) =>
        [.. faults.Select(f => new FaultView(f.Code, Name(f.Status.ToString()), f.ControlUnit, f.WarningLamp, f.Occurrences))];

    public static IReadOnlyList<LiveValueView> Values(IEnumerable<LiveValue> values) => [.. values.Select(v => new LiveValueView(v.Name, v.Value, v.Unit))];

    public static DiagnosisInput Input(IReadOnlyList<FaultView> faults, IReadOnlyList<LiveValueView> values) =>
        new([.. faults.Select(f => f.Code)], values.GroupBy(v => v.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal));

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T? Read<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, Json);

    private static IReadOnlyList<PositionView> Positions(IEnumerable<Position> positions) =>
        [.. positions.Select(p => new PositionView(p.Latitude, p.Longitude, p.AccuracyM, DateTimeOffset.FromUnixTimeMilliseconds(p.RecordedAtMs)))];

    /// <summary>"Crash" → "crash", "SosButton" → "sos_button" (the enum's protobuf name without its prefix).</summary>
    private static string Name(string pascal) =>
        string.Concat(pascal.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}
