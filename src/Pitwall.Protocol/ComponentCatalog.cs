namespace Pitwall.Protocol;

/// <summary>Which way a component's condition goes as it wears.</summary>
public enum WearDirection
{
    /// <summary>Not a wear value (a level, a pressure, a voltage): it says how the part is, not how far it is used up.</summary>
    None,
    /// <summary>Grows with use towards a limit (brake pad wear %, brake fluid age).</summary>
    Rising,
    /// <summary>Falls with use towards a limit (oil life %, tyre tread, battery health).</summary>
    Falling,
}

/// <param name="Id">The number on the wire (<c>ComponentCondition.id</c>); stable forever.</param>
/// <param name="Key">The component's name in the API and the portal, e.g. <c>brake_pads_front</c>.</param>
/// <param name="Path">A COVESA VSS name where VSS has one, else <c>Vehicle.Private.Service.*</c>.</param>
/// <param name="Unit">Unit of the value (VSS units: <c>%</c>, <c>mm</c>, <c>kPa</c>, <c>V</c>, <c>d</c> for days).</param>
/// <param name="Min">Smallest physically possible value; the cloud drops anything outside.</param>
/// <param name="Max">Largest physically possible value.</param>
public sealed record ServiceComponent(
    uint Id, string Key, string Path, string Unit, double Min, double Max, WearDirection Direction)
{
    public bool IsPlausible(double value) => double.IsFinite(value) && value >= Min && value <= Max;
}

/// <summary>Every component a service log may report the condition of (REQUIREMENTS F1), by id.</summary>
public static class ComponentCatalog
{
    public static readonly ServiceComponent BrakePadsFront = new(1, "brake_pads_front", "Vehicle.Chassis.Axle.Row1.Wheel.Brake.PadWear", "%", 0, 100, WearDirection.Rising);
    public static readonly ServiceComponent BrakePadsRear = new(2, "brake_pads_rear", "Vehicle.Chassis.Axle.Row2.Wheel.Brake.PadWear", "%", 0, 100, WearDirection.Rising);
    public static readonly ServiceComponent BrakeFluidAge = new(3, "brake_fluid", "Vehicle.Private.Service.BrakeFluid.Age", "d", 0, 20 * 365, WearDirection.Rising);
    public static readonly ServiceComponent EngineOilLevel = new(4, "engine_oil_level", "Vehicle.Powertrain.CombustionEngine.EngineOilLevel", "%", 0, 100, WearDirection.None);
    public static readonly ServiceComponent EngineOilLife = new(5, "engine_oil", "Vehicle.Private.Service.EngineOil.RemainingLife", "%", 0, 100, WearDirection.Falling);
    public static readonly ServiceComponent ReductionGearOil = new(6, "reduction_gear_oil", "Vehicle.Private.Service.ReductionGearOil.RemainingLife", "%", 0, 100, WearDirection.Falling);
    public static readonly ServiceComponent Battery12VHealth = new(7, "battery_12v", "Vehicle.LowVoltageBattery.StateOfHealth", "%", 0, 100, WearDirection.Falling);
    public static readonly ServiceComponent Battery12VVoltage = new(8, "battery_12v_voltage", "Vehicle.LowVoltageBattery.CurrentVoltage", "V", 0, 20, WearDirection.None);
    public static readonly ServiceComponent TyrePressureFrontLeft = new(9, "tyre_pressure_front_left", "Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure", "kPa", 0, 600, WearDirection.None);
    public static readonly ServiceComponent TyrePressureFrontRight = new(10, "tyre_pressure_front_right", "Vehicle.Chassis.Axle.Row1.Wheel.Right.Tire.Pressure", "kPa", 0, 600, WearDirection.None);
    public static readonly ServiceComponent TyrePressureRearLeft = new(11, "tyre_pressure_rear_left", "Vehicle.Chassis.Axle.Row2.Wheel.Left.Tire.Pressure", "kPa", 0, 600, WearDirection.None);
    public static readonly ServiceComponent TyrePressureRearRight = new(12, "tyre_pressure_rear_right", "Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure", "kPa", 0, 600, WearDirection.None);
    public static readonly ServiceComponent TyreTreadFrontLeft = new(13, "tyre_tread_front_left", "Vehicle.Private.Service.Tire.Row1.Left.TreadDepth", "mm", 0, 20, WearDirection.Falling);
    public static readonly ServiceComponent TyreTreadFrontRight = new(14, "tyre_tread_front_right", "Vehicle.Private.Service.Tire.Row1.Right.TreadDepth", "mm", 0, 20, WearDirection.Falling);
    public static readonly ServiceComponent TyreTreadRearLeft = new(15, "tyre_tread_rear_left", "Vehicle.Private.Service.Tire.Row2.Left.TreadDepth", "mm", 0, 20, WearDirection.Falling);
    public static readonly ServiceComponent TyreTreadRearRight = new(16, "tyre_tread_rear_right", "Vehicle.Private.Service.Tire.Row2.Right.TreadDepth", "mm", 0, 20, WearDirection.Falling);
    public static readonly ServiceComponent CoolantLevel = new(17, "coolant", "Vehicle.Powertrain.CombustionEngine.EngineCoolant.Level", "%", 0, 100, WearDirection.None);
    public static readonly ServiceComponent AirFilter = new(18, "air_filter", "Vehicle.Private.Service.AirFilter.RemainingLife", "%", 0, 100, WearDirection.Falling);
    public static readonly ServiceComponent CabinFilter = new(19, "cabin_filter", "Vehicle.Private.Service.CabinFilter.RemainingLife", "%", 0, 100, WearDirection.Falling);
    public static readonly ServiceComponent TractionBatteryHealth = new(20, "hv_battery", "Vehicle.Powertrain.TractionBattery.StateOfHealth", "%", 0, 100, WearDirection.Falling);

    public static IReadOnlyList<ServiceComponent> All { get; } =
    [
        BrakePadsFront, BrakePadsRear, BrakeFluidAge, EngineOilLevel, EngineOilLife, ReductionGearOil, Battery12VHealth, Battery12VVoltage,
        TyrePressureFrontLeft, TyrePressureFrontRight, TyrePressureRearLeft, TyrePressureRearRight,
        TyreTreadFrontLeft, TyreTreadFrontRight, TyreTreadRearLeft, TyreTreadRearRight, CoolantLevel, AirFilter, CabinFilter, TractionBatteryHealth,
    ];

    private static readonly Dictionary<uint, ServiceComponent> ById = All.ToDictionary(c => c.Id);
    private static readonly Dictionary<string, ServiceComponent> ByKey = All.ToDictionary(c => c.Key, StringComparer.Ordinal);

    public static ServiceComponent? Find(uint id) => ById.GetValueOrDefault(id);

    public static ServiceComponent? Find(string key) => ByKey.GetValueOrDefault(key);
}
