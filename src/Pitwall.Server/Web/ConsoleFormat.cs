using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.CarSecurity;

namespace Pitwall.Server.Web;

/// <summary>
/// How the Car Security pages write cases, tracking messages and times: the security centre's and the authority's pages and the
/// owner's page through the portal's texts (these sentences are keys of CarSecurityText.de/fr.resx, or of PortalText.de/fr.resx
/// when other pages use them too).
/// </summary>
internal static class ConsoleFormat
{
    /// <summary>In the user's time zone (<see cref="PortalTime"/>).</summary>
    public static string When(DateTimeOffset at) => PortalTime.When(at);

    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    public static string Coordinate(double value) => value.ToString("0.00000", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The number, or a dash when there is none.</summary>
    public static string Number(double? value, string format = "0.#") => value is { } v ? Number(v, format) : "–";

    public static string Kmh(double? mps) => Kmh(mps, NumberFormatInfo.InvariantInfo);

    public static string Kmh(double? mps, NumberFormatInfo numbers) => mps is { } v ? (v * 3.6).ToString("#,0", numbers) + " km/h" : "–";

    public static string Reason(string reason) => CaseWording.Reason(reason);

    public static string State(string state) => CaseWording.State(state);

    public static string Outcome(string? outcome) => CaseWording.Outcome(outcome);

    /// <summary>How the case started, in the page's language.</summary>
    public static string Source(string source, IStringLocalizer t) => CaseWording.Source(source, t);

    public static string ContactOutcome(string outcome) => outcome switch
    {
        ContactOutcomes.Reached => "Reached",
        "no_answer" => "No answer",
        "busy" => "Busy",
        "voicemail" => "Voicemail",
        "wrong_number" => "Wrong number",
        _ => outcome,
    };

    /// <summary>0–100: how the queue ranks a case.</summary>
    public static string Urgency(int urgency) => urgency switch
    {
        >= 80 => "critical",
        >= 60 => "high",
        >= 40 => "medium",
        _ => "low",
    };

    public static string Phase(string phase) => CaseWording.Phase(phase);

    /// <summary>The values of one tracking message (E2) in one line, in the page's language and number format (coordinates keep
    /// their point, to be pasted into other systems).</summary>
    public static string Details(TrackingPoint p, IStringLocalizer t)
    {
        var n = PortalTime.Numbers;
        var parts = new List<string>
        {
            p.Latitude is { } lat && p.Longitude is { } lon ? $"{Coordinate(lat)}, {Coordinate(lon)}" : t["no GPS position"],
            Kmh(p.SpeedMps, n),
            p.IgnitionOn ? t["ignition on"] : t["ignition off"],
            p.EngineRunning ? t["engine running"] : t["engine off"],
            t["range {0} km", (p.RemainingRangeM / 1000).ToString("#,0", n)],
            t["mileage {0} km", (p.OdometerM / 1000).ToString("#,0", n)],
        };
        if (p.BatteryVoltageV is { } volts)
        {
            parts.Add(t["battery {0} V", volts.ToString("0.0", n)]);
        }
        if (p.FuelLevelPercent is { } fuel)
        {
            parts.Add(t["fuel {0} %", fuel.ToString("0", n)]);
        }
        parts.Add(t["GSM cell {0}", TheftReports.Cell(p)]);
        parts.Add(t["antennas GSM {0}, GPS {1}", p.GsmAntenna, p.GpsAntenna]);
        return string.Join(" · ", parts);
    }

    /// <summary>The track's positions for the map script: [[latitude, longitude, seq], …] in the car's order.</summary>
    public static string TrackJson(IEnumerable<TrackingPoint> track) => JsonSerializer.Serialize(
        track.Where(p => p.Latitude is not null && p.Longitude is not null)
            .Select(p => new object[] { Math.Round(p.Latitude!.Value, 6), Math.Round(p.Longitude!.Value, 6), p.Seq }));
}
