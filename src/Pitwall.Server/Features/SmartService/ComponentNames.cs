namespace Pitwall.Server.Features.SmartService;

/// <summary>The components' English names (also their keys in the portal's texts) and the states' words.</summary>
public static class ComponentNames
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["brake_pads_front"] = "Brake pads (front)",
        ["brake_pads_rear"] = "Brake pads (rear)",
        ["brake_fluid"] = "Brake fluid",
        ["engine_oil_level"] = "Engine oil level",
        ["engine_oil"] = "Engine oil",
        ["reduction_gear_oil"] = "Reduction gear oil",
        ["battery_12v"] = "12 V battery",
        ["battery_12v_voltage"] = "12 V battery voltage",
        ["tyre_pressure_front_left"] = "Tyre pressure (front left)",
        ["tyre_pressure_front_right"] = "Tyre pressure (front right)",
        ["tyre_pressure_rear_left"] = "Tyre pressure (rear left)",
        ["tyre_pressure_rear_right"] = "Tyre pressure (rear right)",
        ["tyre_tread_front_left"] = "Tyre tread (front left)",
        ["tyre_tread_front_right"] = "Tyre tread (front right)",
        ["tyre_tread_rear_left"] = "Tyre tread (rear left)",
        ["tyre_tread_rear_right"] = "Tyre tread (rear right)",
        ["coolant"] = "Coolant",
        ["air_filter"] = "Air filter",
        ["cabin_filter"] = "Cabin filter",
        ["hv_battery"] = "High-voltage battery",
    };

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string Of(string component) => Names.GetValueOrDefault(component, component);

    /// <summary>How urgent a state is: ok 0 … fault 3.</summary>
    public static int Rank(string state) => state switch
    {
        MaintenancePrediction.DueSoon => 1,
        MaintenancePrediction.DueNow => 2,
        MaintenancePrediction.Fault => 3,
        _ => 0,
    };

    /// <summary>The state in words, e.g. "due soon" (also the portal's text key).</summary>
    public static string StateText(string state) => state switch
    {
        MaintenancePrediction.DueSoon => "due soon",
        MaintenancePrediction.DueNow => "due now",
        MaintenancePrediction.Fault => "fault",
        _ => "ok",
    };
}
