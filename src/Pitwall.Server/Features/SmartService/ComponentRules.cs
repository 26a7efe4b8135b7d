using Pitwall.Protocol;

namespace Pitwall.Server.Features.SmartService;

/// <summary>A fixed service interval: the part is due this long or this far after it was last renewed, whichever comes first.</summary>
internal sealed record ServiceInterval(int? Months, double? Kilometres);

/// <summary>
/// What "due" means per component: for a wear part the limit its condition wears towards (the maintenance point), for a level,
/// pressure or voltage the values below which it is due soon or now; and the fixed service intervals per model.
/// </summary>
internal sealed record ComponentRule(ServiceComponent Component, double Limit, double? SoonBelow = null, double? NowBelow = null)
{
    /// <summary>A replacement shows as a jump back towards new by more than this (in the component's unit).</summary>
    public double RenewalJump => Component.Unit switch
    {
        "mm" => 1.5,
        "d" => 30,
        _ => 15,
    };

    public bool IsWearPart => Component.Direction != WearDirection.None;

    /// <summary>Whether <paramref name="value"/> has reached the limit.</summary>
    public bool AtLimit(double value) => Component.Direction switch
    {
        WearDirection.Rising => value >= Limit,
        WearDirection.Falling => value <= Limit,
        _ => NowBelow is { } now && value < now,
    };

    /// <summary>Whether <paramref name="later"/> is a renewal after <paramref name="earlier"/> (the part was replaced or topped up).</summary>
    public bool IsRenewal(double earlier, double later) => Component.Direction switch
    {
        WearDirection.Rising => earlier - later > RenewalJump,
        WearDirection.Falling => later - earlier > RenewalJump,
        _ => false,
    };

    private static readonly Dictionary<string, ComponentRule> Rules = new ComponentRule[]
    {
        new(ComponentCatalog.BrakePadsFront, 90),
        new(ComponentCatalog.BrakePadsRear, 90),
        new(ComponentCatalog.BrakeFluidAge, 730),
        new(ComponentCatalog.EngineOilLevel, 0, SoonBelow: 50, NowBelow: 30),
        new(ComponentCatalog.EngineOilLife, 5),
        new(ComponentCatalog.ReductionGearOil, 5),
        new(ComponentCatalog.Battery12VHealth, 60),
        new(ComponentCatalog.Battery12VVoltage, 0, SoonBelow: 12.2, NowBelow: 11.8),
        new(ComponentCatalog.TyrePressureFrontLeft, 0, SoonBelow: 210, NowBelow: 180),
        new(ComponentCatalog.TyrePressureFrontRight, 0, SoonBelow: 210, NowBelow: 180),
        new(ComponentCatalog.TyrePressureRearLeft, 0, SoonBelow: 210, NowBelow: 180),
        new(ComponentCatalog.TyrePressureRearRight, 0, SoonBelow: 210, NowBelow: 180),
        new(ComponentCatalog.TyreTreadFrontLeft, 3),
        new(ComponentCatalog.TyreTreadFrontRight, 3),
        new(ComponentCatalog.TyreTreadRearLeft, 3),
        new(ComponentCatalog.TyreTreadRearRight, 3),
        new(ComponentCatalog.CoolantLevel, 0, SoonBelow: 70, NowBelow: 50),
        new(ComponentCatalog.AirFilter, 5),
        new(ComponentCatalog.CabinFilter, 5),
        new(ComponentCatalog.TractionBatteryHealth, 70),
    }.ToDictionary(r => r.Component.Key, StringComparer.Ordinal);

    public static ComponentRule? For(string component) => Rules.GetValueOrDefault(component);

    /// <summary>Fixed intervals, per model ("*" for every model; a model's own entry wins for its components).</summary>
    private static readonly Dictionary<string, Dictionary<string, ServiceInterval>> Intervals = new(StringComparer.OrdinalIgnoreCase)
    {
        ["*"] = new(StringComparer.Ordinal)
        {
            [ComponentCatalog.BrakeFluidAge.Key] = new(24, null),
            [ComponentCatalog.EngineOilLife.Key] = new(12, 15_000),
            [ComponentCatalog.CabinFilter.Key] = new(24, 30_000),
            [ComponentCatalog.AirFilter.Key] = new(48, 60_000),
            [ComponentCatalog.ReductionGearOil.Key] = new(96, 160_000),
        },
        ["911"] = new(StringComparer.Ordinal) { [ComponentCatalog.EngineOilLife.Key] = new(12, 10_000) },
        ["Taycan"] = new(StringComparer.Ordinal) { [ComponentCatalog.CabinFilter.Key] = new(24, 40_000) },
    };

    public static ServiceInterval? IntervalFor(string? model, string component) =>
        model is not null && Intervals.TryGetValue(model, out var own) && own.TryGetValue(component, out var interval) ? interval
        : Intervals["*"].GetValueOrDefault(component);

    /// <summary>The component a fault code concerns (by SAE J2012 group), for the component's state; null when none in particular.</summary>
    public static string? ComponentOfFault(string code) => code switch
    {
        ['P', '0', '5', '6', ..] => ComponentCatalog.Battery12VHealth.Key,
        ['P', '0', '1', '2', '8'] or ['P', '0', '2', '1', '7'] => ComponentCatalog.CoolantLevel.Key,
        ['P', '0', 'A', ..] or ['P', '0', 'B', ..] => ComponentCatalog.TractionBatteryHealth.Key,
        ['C', '0', '0', ..] => ComponentCatalog.BrakePadsFront.Key,
        _ => null,
    };
}
