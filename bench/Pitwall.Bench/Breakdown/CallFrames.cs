using Pitwall.Protocol.V1;

namespace Pitwall.Bench.Breakdown;

/// <summary>
/// A caller car's messages, as pitwall-sim sends them (F2, P1): the breakdown call with its snapshot (control units, usage, fault
/// memory with a code that stops the car, operating values, position, heading, the last positions, the driver's consent for the
/// assistance centre and the position), the emergency call (SOS button, position, heading, passengers, propulsion, car type),
/// and the answer to a live-diagnosis request.
/// </summary>
internal static class CallFrames
{
    private static readonly ControlUnit[] Units =
    [
        new() { Name = "bms", PartNumber = "9J1915234", SoftwareVersion = "0811", HardwareVersion = "H03" },
        new() { Name = "gateway", PartNumber = "9J1907530", SoftwareVersion = "1204", HardwareVersion = "H02" },
        new() { Name = "brakes", PartNumber = "9J1614517", SoftwareVersion = "0330", HardwareVersion = "H01" },
    ];

    public static Envelope BreakdownCall(int carIndex, string callId, long nowMs)
    {
        var call = new BreakdownCall
        {
            CallId = callId, Source = Pitwall.Protocol.V1.BreakdownCall.Types.Source.Car, RecordedAtMs = nowMs, CallbackNumber = $"+49170{carIndex:D7}",
            Consent = new BreakdownConsent { Assistance = true, Position = true },
            Position = Position(carIndex, nowMs, 0), HeadingDeg = 87.5, SpeedMps = 0, LiveDiagnosisSupported = true,
            Usage = new UsageData { OdometerM = 12_345_000 + carIndex, OperatingTimeS = 1_800_000, EngineStarts = 4_200, ChargeCycles = 310.5, ShortTrips = 880 },
        };
        call.ControlUnits.Add(Units);
        call.Components.Add(new ComponentCondition { Id = Pitwall.Protocol.ComponentCatalog.Battery12VHealth.Id, Value = 35 });
        call.Faults.Add(Fault(nowMs));
        call.LiveValues.Add(Values());
        for (var i = 4; i >= 1; i--)
        {
            call.LastPositions.Add(Position(carIndex, nowMs - i * 30_000, i));
        }
        return new Envelope { BreakdownCall = call };
    }

    public static Envelope EmergencyCall(int carIndex, string callId, long nowMs)
    {
        var call = new EmergencyCall
        {
            CallId = callId, Trigger = Pitwall.Protocol.V1.EmergencyCall.Types.Trigger.SosButton, OccurredAtMs = nowMs, Position = Position(carIndex, nowMs, 0),
            HeadingDeg = 87.5, Passengers = 2, Propulsion = Pitwall.Protocol.V1.EmergencyCall.Types.Propulsion.Electric, VehicleType = "Taycan",
            CallbackNumber = $"+49170{carIndex:D7}",
        };
        for (var i = 4; i >= 1; i--)
        {
            call.LastPositions.Add(Position(carIndex, nowMs - i * 30_000, i));
        }
        return new Envelope { EmergencyCall = call };
    }

    /// <summary>Fresh fault memory and the car's diagnosis set (or the values asked for).</summary>
    public static Envelope LiveDiagnosis(LiveDiagnosisRequest request, long nowMs)
    {
        var answer = new LiveDiagnosis { RequestId = request.RequestId, RecordedAtMs = nowMs };
        answer.Faults.Add(Fault(nowMs));
        answer.Values.Add(Values().Where(v => request.ValueNames.Count == 0 || request.ValueNames.Contains(v.Name)));
        return new Envelope { LiveDiagnosis = answer };
    }

    private static FaultEntry Fault(long nowMs) => new()
    {
        Code = "P0AFA", Status = FaultEntry.Types.Status.Confirmed, ControlUnit = "bms", FirstSeenMs = nowMs - 60_000, LastSeenMs = nowMs, Occurrences = 1, WarningLamp = true,
    };

    private static IEnumerable<LiveValue> Values() =>
    [
        new() { Name = "battery_voltage", Value = 10.4, Unit = "V" },
        new() { Name = "coolant_temperature", Value = 88, Unit = "celsius" },
        new() { Name = "tyre_pressure_front_left", Value = 250, Unit = "kPa" },
        new() { Name = "tyre_pressure_front_right", Value = 250, Unit = "kPa" },
        new() { Name = "tyre_pressure_rear_left", Value = 260, Unit = "kPa" },
        new() { Name = "tyre_pressure_rear_right", Value = 260, Unit = "kPa" },
        new() { Name = "state_of_charge", Value = 41, Unit = "%" },
        new() { Name = "engine_speed", Value = 0, Unit = "rpm" },
    ];

    private static Position Position(int carIndex, long atMs, int stepsBack) => new()
    {
        Latitude = 49.4 + (carIndex % 100) * 0.002 - stepsBack * 0.003, Longitude = 8.6 + (carIndex / 100) * 0.002 - stepsBack * 0.001, AccuracyM = 5, RecordedAtMs = atMs,
    };
}
