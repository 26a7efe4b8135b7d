using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>Reads catalogue signals off a <see cref="VehicleState"/> and decides which ones a car may send.</summary>
internal static class VehicleSignals
{
    private static readonly Dictionary<uint, Func<VehicleState, SignalValue>> Readers = new()
    {
        [SignalCatalog.Speed.Id] = s => Number(s.Speed),
        [SignalCatalog.Latitude.Id] = s => Number(s.Position.Latitude),
        [SignalCatalog.Longitude.Id] = s => Number(s.Position.Longitude),
        [SignalCatalog.Heading.Id] = s => Number(s.Heading),
        [SignalCatalog.HorizontalAccuracy.Id] = s => Number(s.HorizontalAccuracy),
        [SignalCatalog.Odometer.Id] = s => Number(s.Odometer),
        [SignalCatalog.Range.Id] = s => Number(s.RangeMetres),
        [SignalCatalog.FuelLevel.Id] = s => Number(s.Level),
        [SignalCatalog.StateOfCharge.Id] = s => Number(s.Level),
        [SignalCatalog.FrontLeftDoorOpen.Id] = s => Flag(s.IsDoorOpen(Door.FrontLeft)),
        [SignalCatalog.FrontRightDoorOpen.Id] = s => Flag(s.IsDoorOpen(Door.FrontRight)),
        [SignalCatalog.RearLeftDoorOpen.Id] = s => Flag(s.IsDoorOpen(Door.RearLeft)),
        [SignalCatalog.RearRightDoorOpen.Id] = s => Flag(s.IsDoorOpen(Door.RearRight)),
        // Central locking: every door and the tailgate lock together.
        [SignalCatalog.FrontLeftDoorLocked.Id] = s => Flag(s.Locked),
        [SignalCatalog.FrontRightDoorLocked.Id] = s => Flag(s.Locked),
        [SignalCatalog.RearLeftDoorLocked.Id] = s => Flag(s.Locked),
        [SignalCatalog.RearRightDoorLocked.Id] = s => Flag(s.Locked),
        [SignalCatalog.FrontLeftWindow.Id] = _ => Number(0),
        [SignalCatalog.FrontRightWindow.Id] = _ => Number(0),
        [SignalCatalog.RearLeftWindow.Id] = _ => Number(0),
        [SignalCatalog.RearRightWindow.Id] = _ => Number(0),
        [SignalCatalog.HoodOpen.Id] = _ => Flag(false),
        [SignalCatalog.TrunkOpen.Id] = s => Flag(s.TailgateOpen),
        [SignalCatalog.TrunkLocked.Id] = s => Flag(s.Locked),
        [SignalCatalog.ParkingLights.Id] = _ => Flag(false),
        [SignalCatalog.ClusterWarnings.Id] = s => Text(s.ClusterWarnings),
        [SignalCatalog.EngineRunning.Id] = s => Flag(s.EngineRunning),
        [SignalCatalog.IgnitionOn.Id] = s => Flag(s.EngineRunning),
        [SignalCatalog.ChargingCableConnected.Id] = s => Flag(s.Charging.CableConnected),
        [SignalCatalog.ChargingCableLocked.Id] = s => Flag(s.Charging.CableLocked),
        [SignalCatalog.ChargingState.Id] = s => Text(s.Charging.State),
        [SignalCatalog.ChargingMode.Id] = s => Text(s.Charging.Mode),
        [SignalCatalog.ChargingTimeToComplete.Id] = s => Number(s.Charging.SecondsToComplete(s.Level)),
        [SignalCatalog.ChargeLimit.Id] = s => Number(s.Charging.Limit),
        [SignalCatalog.ElectricRange.Id] = s => Number(s.RangeMetres),
        [SignalCatalog.ChargingPower.Id] = s => Number(s.Charging.PowerW),
        [SignalCatalog.ChargingStopReason.Id] = s => Text(s.Charging.StopReason),
        [SignalCatalog.ClimateActive.Id] = s => Flag(s.Climate.Active),
        [SignalCatalog.ClimateTargetTemperature.Id] = s => Number(s.Climate.TargetTemperature),
        [SignalCatalog.CabinTemperature.Id] = s => Number(Math.Round(s.Climate.CabinTemperature, 1)),
        [SignalCatalog.OutsideTemperature.Id] = s => Number(s.Climate.OutsideTemperature),
        [SignalCatalog.ClimateRemainingTime.Id] = s => Number(Math.Round(s.Climate.Remaining.TotalSeconds)),
        [SignalCatalog.ClimateZones.Id] = s => Text(s.Climate.Zones),
        [SignalCatalog.ClimateStopReason.Id] = s => Text(s.Climate.StopReason),
    };

    private static readonly uint[] Electric = Supported(Powertrain.Electric);
    private static readonly uint[] Combustion = Supported(Powertrain.Combustion);

    public static readonly uint[] Position =
        [SignalCatalog.Latitude.Id, SignalCatalog.Longitude.Id, SignalCatalog.Heading.Id, SignalCatalog.HorizontalAccuracy.Id];

    public static readonly uint[] DoorOpen =
        [SignalCatalog.FrontLeftDoorOpen.Id, SignalCatalog.FrontRightDoorOpen.Id, SignalCatalog.RearLeftDoorOpen.Id, SignalCatalog.RearRightDoorOpen.Id];

    public static readonly uint[] Locks =
        [SignalCatalog.FrontLeftDoorLocked.Id, SignalCatalog.FrontRightDoorLocked.Id, SignalCatalog.RearLeftDoorLocked.Id,
         SignalCatalog.RearRightDoorLocked.Id, SignalCatalog.TrunkLocked.Id];

    /// <summary>E-Control (C7): an EV's charging, with state of charge.</summary>
    public static readonly uint[] EControl =
    [
        SignalCatalog.StateOfCharge.Id,
        .. SignalCatalog.All.Where(s => s.Service == SignalService.EControl).Select(s => s.Id),
    ];

    /// <summary>Climate (C6).</summary>
    public static readonly uint[] Climate = [.. SignalCatalog.All.Where(s => s.Service == SignalService.Climate).Select(s => s.Id)];

    /// <summary>Both level signals; the one the powertrain lacks is filtered out as unsupported.</summary>
    public static readonly uint[] Energy =
        [SignalCatalog.StateOfCharge.Id, SignalCatalog.FuelLevel.Id, SignalCatalog.Range.Id, SignalCatalog.ClusterWarnings.Id];

    /// <summary>Catalogue ids the car can report: an EV has no fuel level or engine; a combustion car no state of charge.</summary>
    public static uint[] SupportedBy(Powertrain powertrain) => powertrain == Powertrain.Electric ? Electric : Combustion;

    public static bool Supports(Powertrain powertrain, uint id) => Array.IndexOf(SupportedBy(powertrain), id) >= 0;

    /// <summary>REQUIREMENTS P2: location services off (or service car_finder off) hides position; non-location
    /// services off (or their own service off) hide the rest.</summary>
    public static bool Allowed(uint id, PrivacySettings privacy) =>
        SignalCatalog.Find(id) is { } signal && ServiceIds.IsSwitchedOn(ServiceIds.Of(signal.Service), privacy);

    /// <summary>Adds each supported, allowed signal of <paramref name="ids"/> once, stamped <paramref name="recordedAtMs"/>.</summary>
    public static void AddValues(StatusReport report, VehicleState state, IEnumerable<uint> ids, PrivacySettings privacy, long recordedAtMs)
    {
        foreach (var id in ids)
        {
            if (!Supports(state.Powertrain, id) || !Allowed(id, privacy) || report.Values.Any(v => v.Id == id))
            {
                continue;
            }
            var value = Readers[id](state);
            value.Id = id;
            value.RecordedAtMs = recordedAtMs;
            report.Values.Add(value);
        }
    }

    private static uint[] Supported(Powertrain powertrain) =>
    [
        .. SignalCatalog.All
            .Where(s => Readers.ContainsKey(s.Id))
            .Where(s => powertrain == Powertrain.Electric
                ? s != SignalCatalog.FuelLevel && s != SignalCatalog.EngineRunning
                : s != SignalCatalog.StateOfCharge && s.Service != SignalService.EControl)
            .Select(s => s.Id),
    ];

    private static SignalValue Number(double value) => new() { Number = value };

    private static SignalValue Flag(bool value) => new() { Flag = value };

    private static SignalValue Text(string value) => new() { Text = value };
}
