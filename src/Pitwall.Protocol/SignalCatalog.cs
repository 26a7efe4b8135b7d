using Pitwall.Protocol.V1;

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
/// <param name="Min">The smallest physically possible number (numbers only); the cloud drops anything outside as out_of_range.</param>
/// <param name="Max">The largest physically possible number (numbers only).</param>
public sealed record Signal(uint Id, string Path, SignalType Type, string Unit, SignalService Service, double Min = 0, double Max = 0)
{
    /// <summary>Longest text a car may report for a text signal.</summary>
    public const int MaxTextLength = 256;

    /// <summary>Whether a value the car reported is of this signal's type, finite and within its physical range.</summary>
    public bool IsPlausible(SignalValue value) => value.ValueCase switch
    {
        SignalValue.ValueOneofCase.Number => Type == SignalType.Number && double.IsFinite(value.Number) && value.Number >= Min && value.Number <= Max,
        SignalValue.ValueOneofCase.Flag => Type == SignalType.Flag,
        SignalValue.ValueOneofCase.Text => Type == SignalType.Text && value.Text.Length <= MaxTextLength,
        SignalValue.ValueOneofCase.Unavailable => value.Unavailable == SignalValues.NotAvailable,
        _ => true, // no value at all: nothing to judge
    };
}

/// <summary>The reasons a stored signal value may carry instead of a value.</summary>
public static class SignalValues
{
    public const string NotAvailable = "not_available";
    public const string OutOfRange = "out_of_range";
}

/// <summary>Every signal the vehicle link carries, by id and by VSS path.</summary>
public static class SignalCatalog
{
    public static readonly Signal Speed = new(1, "Vehicle.Speed", SignalType.Number, "m/s", SignalService.CarControl, -PhysicalLimits.MaxSpeedMps, PhysicalLimits.MaxSpeedMps);
    public static readonly Signal Latitude = new(2, "Vehicle.CurrentLocation.Latitude", SignalType.Number, "deg", SignalService.CarFinder, -90, 90);
    public static readonly Signal Longitude = new(3, "Vehicle.CurrentLocation.Longitude", SignalType.Number, "deg", SignalService.CarFinder, -180, 180);
    public static readonly Signal Heading = new(4, "Vehicle.CurrentLocation.Heading", SignalType.Number, "deg", SignalService.CarFinder, 0, 360);
    public static readonly Signal HorizontalAccuracy = new(5, "Vehicle.CurrentLocation.HorizontalAccuracy", SignalType.Number, "m", SignalService.CarFinder, 0, PhysicalLimits.MaxAccuracyMetres);
    public static readonly Signal Odometer = new(6, "Vehicle.TraveledDistance", SignalType.Number, "m", SignalService.CarControl, 0, PhysicalLimits.MaxOdometerMetres);
    public static readonly Signal Range = new(7, "Vehicle.Powertrain.Range", SignalType.Number, "m", SignalService.CarControl, 0, PhysicalLimits.MaxRangeMetres);
    public static readonly Signal FuelLevel = new(8, "Vehicle.Powertrain.FuelSystem.RelativeLevel", SignalType.Number, "%", SignalService.CarControl, 0, 100);
    public static readonly Signal StateOfCharge = new(9, "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed", SignalType.Number, "%", SignalService.CarControl, 0, 100);
    public static readonly Signal FrontLeftDoorOpen = new(10, "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal FrontRightDoorOpen = new(11, "Vehicle.Cabin.Door.Row1.PassengerSide.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal RearLeftDoorOpen = new(12, "Vehicle.Cabin.Door.Row2.DriverSide.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal RearRightDoorOpen = new(13, "Vehicle.Cabin.Door.Row2.PassengerSide.IsOpen", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal FrontLeftDoorLocked = new(14, "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal FrontRightDoorLocked = new(15, "Vehicle.Cabin.Door.Row1.PassengerSide.IsLocked", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal RearLeftDoorLocked = new(16, "Vehicle.Cabin.Door.Row2.DriverSide.IsLocked", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal RearRightDoorLocked = new(17, "Vehicle.Cabin.Door.Row2.PassengerSide.IsLocked", SignalType.Flag, "", SignalService.CarControl);
    public static readonly Signal FrontLeftWindow = new(18, "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position", SignalType.Number, "%", SignalService.CarControl, 0, 100);
    public static readonly Signal FrontRightWindow = new(19, "Vehicle.Cabin.Door.Row1.PassengerSide.Window.Position", SignalType.Number, "%", SignalService.CarControl, 0, 100);
    public static readonly Signal RearLeftWindow = new(20, "Vehicle.Cabin.Door.Row2.DriverSide.Window.Position", SignalType.Number, "%", SignalService.CarControl, 0, 100);
    public static readonly Signal RearRightWindow = new(21, "Vehicle.Cabin.Door.Row2.PassengerSide.Window.Position", SignalType.Number, "%", SignalService.CarControl, 0, 100);
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
    public static readonly Signal ChargingTimeToComplete = new(33, "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete", SignalType.Number, "s", SignalService.EControl, 0, 604_800);
    public static readonly Signal ChargeLimit = new(34, "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit", SignalType.Number, "%", SignalService.EControl, 0, 100);
    public static readonly Signal ElectricRange = new(35, "Vehicle.Powertrain.TractionBattery.Range", SignalType.Number, "m", SignalService.EControl, 0, PhysicalLimits.MaxRangeMetres);
    public static readonly Signal ChargingPower = new(36, "Vehicle.Private.Charging.Power", SignalType.Number, "W", SignalService.EControl, -1_000_000, 1_000_000);
    /// <summary>Why charging last ended: requested, target_reached, unplugged, power_loss, error.</summary>
    public static readonly Signal ChargingStopReason = new(37, "Vehicle.Private.Charging.StopReason", SignalType.Text, "", SignalService.EControl);

    // Climate (C6).
    public static readonly Signal ClimateActive = new(38, "Vehicle.Private.Climate.IsActive", SignalType.Flag, "", SignalService.Climate);
    public static readonly Signal ClimateTargetTemperature = new(39, "Vehicle.Private.Climate.TargetTemperature", SignalType.Number, "celsius", SignalService.Climate, 0, 50);
    public static readonly Signal CabinTemperature = new(40, "Vehicle.Cabin.HVAC.AmbientAirTemperature", SignalType.Number, "celsius", SignalService.Climate, -60, 100);
    public static readonly Signal OutsideTemperature = new(41, "Vehicle.Exterior.AirTemperature", SignalType.Number, "celsius", SignalService.Climate, -90, 70);
    public static readonly Signal ClimateRemainingTime = new(42, "Vehicle.Private.Climate.RemainingTime", SignalType.Number, "s", SignalService.Climate, 0, 86_400);
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

/// <summary>Bounds of what a car can physically report, shared by the signal catalogue and the event messages.</summary>
public static class PhysicalLimits
{
    /// <summary>No road car goes faster (m/s, ≈ 500 km/h).</summary>
    public const double MaxSpeedMps = 140;

    /// <summary>Ten million kilometres.</summary>
    public const double MaxOdometerMetres = 10_000_000_000;

    /// <summary>Ten thousand kilometres on one charge or tank.</summary>
    public const double MaxRangeMetres = 10_000_000;

    /// <summary>A position's horizontal accuracy worse than this (m) says nothing.</summary>
    public const double MaxAccuracyMetres = 100_000;

    /// <summary>The 12 V system (a 24 V truck system included).</summary>
    public const double MaxLowVoltageVolts = 40;

    /// <summary>One trip's length and the long-term memory's (m).</summary>
    public const double MaxTripDistanceMetres = MaxOdometerMetres;

    /// <summary>Litres or kWh per 100 km no car reaches on average.</summary>
    public const double MaxAverageConsumptionPer100Km = 200;
}
