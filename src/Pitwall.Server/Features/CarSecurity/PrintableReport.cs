using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>
/// The printable summary of a case for the authority (E3): the car, the circumstances, the positions and the course of the
/// case, in the reader's language and in the words of the case pages (<see cref="CaseWording"/> through the portal's
/// localizer), times as the portal writes them (<c>2026-12-06 21:05:12 UTC+1</c>: the reader's time zone, UTC without one),
/// numbers in the language's format; coordinates keep their point, to be typed into other systems. HTML-encoded throughout.
/// </summary>
internal static class PrintableReport
{
    public static string Html(TheftCase k, VehicleDescription? vehicle, IReadOnlyList<TrackingPoint> track, IReadOnlyList<AuditEntry> audit, IStringLocalizer t)
    {
        var h = HtmlEncoder.Default;
        var n = PortalTime.Numbers;
        var html = new StringBuilder();
        var language = CultureInfo.CurrentUICulture.Name.Split('-')[0] is { Length: > 0 } l ? l : "en";
        html.Append("<!DOCTYPE html><html lang=\"").Append(h.Encode(language)).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(h.Encode(t["Theft report {0}", k.Id])).Append("</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.25em .5em;text-align:left}")
            .Append("@media print{a{display:none}}</style></head><body>");
        html.Append("<h1>").Append(h.Encode(t["Theft report"])).Append("</h1><p id=\"car\">").Append(h.Encode(Car(k, vehicle, t))).Append("</p><dl id=\"summary\">");
        void Row(string term, string? value) =>
            html.Append("<dt>").Append(h.Encode(t[term])).Append("</dt><dd>").Append(h.Encode(value ?? "–")).Append("</dd>");
        Row("Case", k.Id);
        Row("VIN", k.Vin);
        Row("Vehicle", vehicle is null ? null : $"{vehicle.Model} ({vehicle.ModelYear})");
        Row("Colour", vehicle?.Colour);
        Row("Registration", vehicle?.RegistrationNumber);
        Row("How it started", CaseWording.Source(k.Source, t));
        Row("Detected because", t[CaseWording.Reason(k.Reason)]);
        Row("Opened", PortalTime.When(k.OpenedAt));
        Row("Theft mode", k.TheftModeStartedAt is { } s ? t["since {0}", PortalTime.When(s)] : t["not reported"]);
        Row("Theft confirmed", k.ConfirmedAt is { } c ? PortalTime.When(c) : null);
        Row("Authority's file number", k.AuthorityReference);
        Row("State", t[CaseWording.State(k.State)] + (k.Outcome is null ? "" : $": {t[CaseWording.Outcome(k.Outcome)]}"));
        if (k.ClosedAt is { } closed)
        {
            Row("Closed", PortalTime.When(closed));
        }
        html.Append("</dl><h2>").Append(h.Encode(t["Circumstances"])).Append("</h2><p id=\"circumstances\">").Append(h.Encode(k.Circumstances ?? "–")).Append("</p>");
        html.Append("<h2>").Append(h.Encode(t["Track"])).Append("</h2><table id=\"positions\"><thead><tr>");
        foreach (var head in new[] { "When", "What", "Latitude", "Longitude", "Speed", "Ignition", "GSM cell", "Antennas (GSM/GPS)" })
        {
            html.Append("<th scope=\"col\">").Append(h.Encode(t[head])).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var p in track)
        {
            html.Append("<tr><td>").Append(h.Encode(PortalTime.When(p.RecordedAt))).Append("</td><td>").Append(h.Encode(t[CaseWording.Phase(p.Phase)]))
                .Append("</td><td>").Append(p.Latitude is { } lat ? TheftReports.Number(lat) : "–")
                .Append("</td><td>").Append(p.Longitude is { } lon ? TheftReports.Number(lon) : "–")
                .Append("</td><td>").Append(h.Encode((p.SpeedMps * 3.6).ToString("#,0", n) + " km/h"))
                .Append("</td><td>").Append(h.Encode(p.IgnitionOn ? t["ignition on"] : t["ignition off"]))
                .Append("</td><td>").Append(h.Encode(TheftReports.Cell(p))).Append("</td><td>")
                .Append(h.Encode($"{p.GsmAntenna}/{p.GpsAntenna}")).Append("</td></tr>");
        }
        html.Append("</tbody></table><h2>").Append(h.Encode(t["Course of the case"])).Append("</h2><table id=\"course\"><thead><tr>");
        foreach (var head in new[] { "When", "By", "What", "Details" })
        {
            html.Append("<th scope=\"col\">").Append(h.Encode(t[head])).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var e in audit)
        {
            html.Append("<tr><td>").Append(h.Encode(PortalTime.When(e.At))).Append("</td><td>").Append(h.Encode(t[CaseWording.ByRole(e.ActorRole)]))
                .Append("</td><td>").Append(h.Encode(t[CaseWording.Action(e.Action)])).Append("</td><td>").Append(h.Encode(e.Detail)).Append("</td></tr>");
        }
        html.Append("</tbody></table></body></html>");
        return html.ToString();
    }

    /// <summary>As the case pages' heading: "Black Taycan 2024, S-PW 911, VIN …".</summary>
    private static string Car(TheftCase k, VehicleDescription? vehicle, IStringLocalizer t) =>
        vehicle is null ? $"{t["unknown car"]}, {t["VIN"]} {k.Vin}"
        : $"{vehicle.Colour} {vehicle.Model} {vehicle.ModelYear}, {vehicle.RegistrationNumber ?? "–"}, {t["VIN"]} {k.Vin}";
}
