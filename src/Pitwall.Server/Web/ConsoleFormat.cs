using System.Globalization;
using System.Text.Json;
using Pitwall.Server.Features.CarSecurity;

namespace Pitwall.Server.Web;

/// <summary>
/// How the Car Security pages write cases, tracking messages and times: the security centre's and the authority's pages in
/// English, the owner's page through the portal's texts (these sentences are keys of CarSecurityText.de/fr.resx, or of
/// PortalText.de/fr.resx when other pages use them too).
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

    public static string Kmh(double? mps) => mps is { } v ? Number(v * 3.6, "0") + " km/h" : "–";

    public static string Reason(string reason) => CaseWording.Reason(reason);

    public static string State(string state) => CaseWording.State(state);

    public static string Outcome(string? outcome) => CaseWording.Outcome(outcome);

    public static string Source(string source) => CaseWording.Source(source);

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

    public static string Phase(string phase) => phase switch
    {
        "started" => "Theft mode started",
        "ended" => "Theft mode ended",
        _ => "Tracking",
    };

    /// <summary>The values of one tracking message (E2) in one line.</summary>
    public static string Details(TrackingPoint p)
    {
        var parts = new List<string>
        {
            p.Latitude is { } lat && p.Longitude is { } lon ? $"{Coordinate(lat)}, {Coordinate(lon)}" : "no GPS position",
            Kmh(p.SpeedMps),
            "ignition " + (p.IgnitionOn ? "on" : "off"),
            "engine " + (p.EngineRunning ? "running" : "off"),
            "range " + Number(p.RemainingRangeM / 1000, "0") + " km",
            "mileage " + Number(p.OdometerM / 1000, "0") + " km",
        };
        if (p.BatteryVoltageV is { } volts)
        {
            parts.Add("battery " + Number(volts, "0.0") + " V");
        }
        if (p.FuelLevelPercent is { } fuel)
        {
            parts.Add("fuel " + Number(fuel, "0") + " %");
        }
        parts.Add("GSM cell " + TheftReports.Cell(p));
        parts.Add($"antennas GSM {p.GsmAntenna}, GPS {p.GpsAntenna}");
        return string.Join(" · ", parts);
    }

    /// <summary>The track's positions for the map script: [[latitude, longitude, seq], …] in the car's order.</summary>
    public static string TrackJson(IEnumerable<TrackingPoint> track) => JsonSerializer.Serialize(
        track.Where(p => p.Latitude is not null && p.Longitude is not null)
            .Select(p => new object[] { Math.Round(p.Latitude!.Value, 6), Math.Round(p.Longitude!.Value, 6), p.Seq }));
}
