namespace Pitwall.Protocol;

public enum SignalType
{
    Number,
    Flag,
    Text,
}

/// <summary>Which service a signal serves, and so which privacy switch governs it (REQUIREMENTS C1, C2, P2).</summary>
public enum SignalService
{
    /// <summary>Car Control (C1): a service without location.</summary>
    CarControl,
    /// <summary>Car Finder (C2): a service with location.</summary>
    CarFinder,
    /// <summary>E-Control (C7): charging; a service without location.</summary>
    EControl,
    /// <summary>Climate (C6): a service without location.</summary>
    Climate,
}

/// <param name="Id">The number on the wire; stable forever.</param>
/// <param name="Path">The COVESA VSS name (<c>Vehicle.Private.*</c> for Pitwall's own additions).</param>
/// <param name="Unit">SI unit, or <c>deg</c>/<c>%</c>/<c>celsius</c> where VSS uses them; empty for flags and text.</param>
public sealed record Signal(uint Id, string Path, SignalType Type, string Unit, SignalService Service);

/// <summary>Every signal the vehicle link carries, by id and by VSS path.</summary>
public static class SignalCatalog
{
    public static readonly Signal Speed = new(1, "Vehicle.Speed", SignalType.Number, "m/s", SignalService.CarControl);
    public static readonly Signal Latitude = new(2, "Vehicle.CurrentLocation.Latitude", SignalType.Number, "deg", SignalService.CarFinder);
    public static readonly Signal Longitude = new(3, "Vehicle.CurrentLocation.Longitude", SignalType.Number, "deg", SignalService.CarFinder);
    public static readonly Signal Heading = new(4, "Vehicle.CurrentLocation.Heading", SignalType.Number, "deg", SignalService.CarFinder);
    public static readonly Signal HorizontalAccuracy = new(5, "Vehicle.CurrentLocation.HorizontalAccuracy", SignalType.Number, "m", SignalService.CarFinder);
    public static readonly Signal Odometer = new(6, "Vehicle.TraveledDistance", SignalType.Number, "m", SignalService.CarControl);
    public static readonly Signal Range = new(7, "Vehicle.Powertrain.Range", SignalType.Number, "m", SignalService.CarControl);
    public static readonly Signal FuelLevel = new(8, "Vehicle.Powertrain.FuelSystem.RelativeLevel", SignalType.Number, "%", SignalService.CarControl);
    public static readonly Signal StateOfCharge = new(9, "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed", SignalType.Number, "%", SignalService.CarControl);
    public static readonly Signal FrontLeftDoorOpen = new(10, "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal FrontRightDoorOpen = new(11, "Vehicle.Cabin.Door.Row1.PassengerSide.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal RearLeftDoorOpen = new(12, "Vehicle.Cabin.Door.Row2.DriverSide.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal RearRightDoorOpen = new(13, "Vehicle.Cabin.Door.Row2.PassengerSide.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal FrontLeftDoorLocked = new(14, "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal FrontRightDoorLocked = new(15, "Vehicle.Cabin.Door.Row1.PassengerSide.IsLocked", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal RearLeftDoorLocked = new(16, "Vehicle.Cabin.Door.Row2.DriverSide.IsLocked", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal RearRightDoorLocked = new(17, "Vehicle.Cabin.Door.Row2.PassengerSide.IsLocked", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal FrontLeftWindow = new(18, "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position", SignalType.Number, "%", SignalService.CarControl);
    public static readonly Signal FrontRightWindow = new(19, "Vehicle.Cabin.Door.Row1.PassengerSide.Window.Position", SignalType.Number, "%", SignalService.CarControl);
    public static readonly Signal RearLeftWindow = new(20, "Vehicle.Cabin.Door.Row2.DriverSide.Window.Position", SignalType.Number, "%", SignalService.CarControl);
    public static readonly Signal RearRightWindow = new(21, "Vehicle.Cabin.Door.Row2.PassengerSide.Window.Position", SignalType.Number, "%", SignalService.CarControl);
    public static readonly Signal HoodOpen = new(22, "Vehicle.Body.Hood.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal TrunkOpen = new(23, "Vehicle.Body.Trunk.Rear.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal TrunkLocked = new(24, "Vehicle.Body.Trunk.Rear.IsLocked", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal ParkingLights = new(25, "Vehicle.Body.Lights.Parking.IsOn", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal ClusterWarnings = new(26, "Vehicle.Private.Cluster.ActiveWarnings", SignalType.Text, "", SignalService.CarControl);
    public static readonly Signal EngineRunning = new(27, "Vehicle.Powertrain.CombustionEngine.IsRunning", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal IgnitionOn = new(28, "Vehicle.Private.Ignition.IsOn", SignalType.Flag, "", SignalService.CarControl);

    // E-Control (C7). Texts are lower-case words from a closed list, documented in docs/vehicle-protocol.md.
    public static readonly Signal ChargingCableConnected = new(29, "Vehicle.Powertrain.TractionBattery.Charging.IsChargingCableConnected", SignalType.Flag, "", SignalService.EControl);
    public static readonly Signal ChargingCableLocked = new(30, "Vehicle.Powertrain.TractionBattery.Charging.IsChargingCableLocked", SignalType.Flag, "", SignalService.EControl);
    /// <summary>charging, not_charging, complete, waiting_for_deferred_start, long_term_charging, error.</summary>
    public static readonly Signal ChargingState = new(31, "Vehicle.Private.Charging.State", SignalType.Text, "", SignalService.EControl);
    /// <summary>immediate or deferred (a charge timer decides when charging starts).</summary>
    public static readonly Signal ChargingMode = new(32, "Vehicle.Private.Charging.Mode", SignalType.Text, "", SignalService.EControl);
    public static readonly Signal ChargingTimeToComplete = new(33, "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete", SignalType.Number, "s", SignalService.EControl);
    public static readonly Signal ChargeLimit = new(34, "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit", SignalType.Number, "%", SignalService.EControl);
    public static readonly Signal ElectricRange = new(35, "Vehicle.Powertrain.TractionBattery.Range", SignalType.Number, "m", SignalService.EControl);
    public static readonly Signal ChargingPower = new(36, "Vehicle.Private.Charging.Power", SignalType.Number, "W", SignalService.EControl);
    /// <summary>Why charging last ended: requested, target_reached, unplugged, power_loss, error.</summary>
    public static readonly Signal ChargingStopReason = new(37, "Vehicle.Private.Charging.StopReason", SignalType.Text, "", SignalService.EControl);

    // Climate (C6).
    public static readonly Signal ClimateActive = new(38, "Vehicle.Private.Climate.IsActive", SignalType.Flag, "", SignalService.Climate);
    public static readonly Signal ClimateTargetTemperature = new(39, "Vehicle.Private.Climate.TargetTemperature", SignalType.Number, "celsius", SignalService.Climate);
    public static readonly Signal CabinTemperature = new(40, "Vehicle.Cabin.HVAC.AmbientAirTemperature", SignalType.Number, "celsius", SignalService.Climate);
    public static readonly Signal OutsideTemperature = new(41, "Vehicle.Exterior.AirTemperature", SignalType.Number, "celsius", SignalService.Climate);
    public static readonly Signal ClimateRemainingTime = new(42, "Vehicle.Private.Climate.RemainingTime", SignalType.Number, "s", SignalService.Climate);
    /// <summary>Comma-separated: front_left, front_right, rear_left, rear_right.</summary>
    public static readonly Signal ClimateZones = new(43, "Vehicle.Private.Climate.Zones", SignalType.Text, "", SignalService.Climate);
    /// <summary>Why climatisation last ended: requested, timeout, low_battery, driving.</summary>
    public static readonly Signal ClimateStopReason = new(44, "Vehicle.Private.Climate.StopReason", SignalType.Text, "", SignalService.Climate);

    public static IReadOnlyList<Signal> All { get; } =
    [
        Speed, Latitude, Longitude, Heading, HorizontalAccuracy, Odometer, Range, FuelLevel, StateOfCharge,
        FrontLeftDoorOpen, FrontRightDoorOpen, RearLeftDoorOpen, RearRightDoorOpen,
        FrontLeftDoorLocked, FrontRightDoorLocked, RearLeftDoorLocked, RearRightDoorLocked,
        FrontLeftWindow, FrontRightWindow, RearLeftWindow, RearRightWindow,
        HoodOpen, TrunkOpen, TrunkLocked, ParkingLights, ClusterWarnings, EngineRunning, IgnitionOn,
        ChargingCableConnected, ChargingCableLocked, ChargingState, ChargingMode, ChargingTimeToComplete, ChargeLimit,
        ElectricRange, ChargingPower, ChargingStopReason,
        ClimateActive, ClimateTargetTemperature, CabinTemperature, OutsideTemperature, ClimateRemainingTime, ClimateZones, ClimateStopReason,
    ];

    private static readonly Dictionary<uint, Signal> ById = All.ToDictionary(s => s.Id);
    private static readonly Dictionary<string, Signal> ByPath = All.ToDictionary(s => s.Path, StringComparer.Ordinal);

    public static Signal? Find(uint id) => ById.GetValueOrDefault(id);

    public static Signal? Find(string path) => ByPath.GetValueOrDefault(path);
}
