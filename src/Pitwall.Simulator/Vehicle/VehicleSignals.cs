using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>Reads catalogue signals off a <see cref="VehicleState"/> and decides which ones a car may send.</summary>
internal static class VehicleSignals
{
    // Service ids in PrivacySettings.disabled_services (docs/vehicle-protocol.md §9).
    private const string CarFinderService = "car_finder", CarControlService = "car_control";

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
        [SignalCatalog.ClusterWarnings.Id] = s => new SignalValue { Text = s.ClusterWarnings },
        [SignalCatalog.EngineRunning.Id] = s => Flag(s.EngineRunning),
        [SignalCatalog.IgnitionOn.Id] = s => Flag(s.EngineRunning),
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

    /// <summary>Both level signals; the one the powertrain lacks is filtered out as unsupported.</summary>
    public static readonly uint[] Energy =
        [SignalCatalog.StateOfCharge.Id, SignalCatalog.FuelLevel.Id, SignalCatalog.Range.Id, SignalCatalog.ClusterWarnings.Id];

    /// <summary>Catalogue ids the car can report: an EV has no fuel level or engine; a combustion car no state of charge.</summary>
    public static uint[] SupportedBy(Powertrain powertrain) => powertrain == Powertrain.Electric ? Electric : Combustion;

    public static bool Supports(Powertrain powertrain, uint id) => Array.IndexOf(SupportedBy(powertrain), id) >= 0;

    /// <summary>REQUIREMENTS P2: location services off (or service car_finder off) hides position; non-location
    /// services off (or service car_control off) hides the rest.</summary>
    public static bool Allowed(uint id, PrivacySettings privacy) =>
        SignalCatalog.Find(id) is { } signal && signal.Service switch
        {
            SignalService.CarFinder => !privacy.LocationServicesDisabled && !privacy.DisabledServices.Contains(CarFinderService),
            _ => !privacy.NonLocationServicesDisabled && !privacy.DisabledServices.Contains(CarControlService),
        };

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
                : s != SignalCatalog.StateOfCharge)
            .Select(s => s.Id),
    ];

    private static SignalValue Number(double value) => new() { Number = value };

    private static SignalValue Flag(bool value) => new() { Flag = value };
}
