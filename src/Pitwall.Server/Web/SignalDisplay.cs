using System.Globalization;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Status;

namespace Pitwall.Server.Web;

/// <summary>How the portal shows a signal: in the units people read (km/h, km, °C, kW, hh:mm), or why it is missing.</summary>
internal static class SignalDisplay
{
    /// <summary>The Car Control values on a vehicle's page, in reading order, with their labels.</summary>
    public static readonly IReadOnlyList<(Signal Signal, string Label)> Dashboard =
    [
        (SignalCatalog.StateOfCharge, "State of charge"),
        (SignalCatalog.FuelLevel, "Fuel level"),
        (SignalCatalog.Range, "Range"),
        (SignalCatalog.Odometer, "Mileage"),
        (SignalCatalog.Speed, "Speed"),
        (SignalCatalog.FrontLeftDoorLocked, "Doors locked"),
        (SignalCatalog.FrontLeftDoorOpen, "Driver's door open"),
        (SignalCatalog.FrontRightDoorOpen, "Passenger's door open"),
        (SignalCatalog.RearLeftDoorOpen, "Rear left door open"),
        (SignalCatalog.RearRightDoorOpen, "Rear right door open"),
        (SignalCatalog.TrunkOpen, "Boot open"),
        (SignalCatalog.HoodOpen, "Bonnet open"),
        (SignalCatalog.FrontLeftWindow, "Driver's window open"),
        (SignalCatalog.ParkingLights, "Parking lights on"),
        (SignalCatalog.IgnitionOn, "Ignition on"),
        (SignalCatalog.ClusterWarnings, "Warnings"),
    ];

    public static string Value(SignalResponse signal, IStringLocalizer t) => signal.Value switch
    {
        null => t[Missing(signal.Unavailable)],
        bool flag => flag ? t["yes"] : t["no"],
        double number => Number(number, signal.Unit),
        string { Length: 0 } => "–",
        string text => t[text],
        var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? "",
    };

    public static string Number(double value, string unit) => unit switch
    {
        "m/s" => Format("{0:0} km/h", value * 3.6),
        "m" => Format("{0:0.#} km", value / 1000),
        "%" => Format("{0:0} %", value),
        "celsius" => Format("{0:0.#} °C", value),
        "deg" => Format("{0:0.#####}°", value),
        "W" => Format("{0:0.#} kW", value / 1000),
        "s" => Format("{0:00}:{1:00}", Math.Floor(value / 3600), Math.Floor(value % 3600 / 60)),
        _ => Format("{0} {1}", value, unit),
    };

    /// <summary>How old a value is, e.g. "3 min ago".</summary>
    public static string Age(DateTimeOffset? at, DateTimeOffset now, IStringLocalizer t)
    {
        if (at is not { } when)
        {
            return "";
        }
        var age = now - when;
        return age.TotalMinutes < 1 ? t["just now"]
            : age.TotalHours < 1 ? t["{0} min ago", (int)age.TotalMinutes]
            : age.TotalDays < 1 ? t["{0} h ago", (int)age.TotalHours]
            : PortalTime.When(when, seconds: false);
    }

    private static string Missing(string? reason) => reason switch
    {
        "privacy_mode" => "hidden: private mode",
        "service_disabled" => "hidden: service switched off in the car",
        "not_supported" => "not available in this car",
        "offline" => "car offline, not known yet",
        "not_entitled" => "not included in this car's packages",
        _ => "not reported yet",
    };

    private static string Format(string format, params object[] args) => string.Format(PortalTime.Numbers, format, args);
}
