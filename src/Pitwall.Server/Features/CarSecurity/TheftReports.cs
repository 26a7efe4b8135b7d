using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>
/// The report for the authority (E3): the positions as a GPX 1.1 track and as GeoJSON (RFC 7946); the printable summary is
/// <see cref="PrintableReport"/>. Written with XmlWriter and Utf8JsonWriter, so every value is escaped.
/// </summary>
public static class TheftReports
{
    public static byte[] Gpx(TheftCase k, VehicleDescription? vehicle, IReadOnlyList<TrackingPoint> track)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = false }))
        {
            const string ns = "http://www.topografix.com/GPX/1/1";
            xml.WriteStartDocument();
            xml.WriteStartElement("gpx", ns);
            xml.WriteAttributeString("version", "1.1");
            xml.WriteAttributeString("creator", "Pitwall Car Security");
            xml.WriteStartElement("metadata", ns);
            xml.WriteElementString("name", ns, $"Theft case {k.Id}");
            xml.WriteElementString("desc", ns, Title(k, vehicle));
            xml.WriteElementString("time", ns, Time(k.OpenedAt));
            xml.WriteEndElement();
            xml.WriteStartElement("trk", ns);
            xml.WriteElementString("name", ns, $"{k.Vin} {vehicle?.RegistrationNumber}".Trim());
            xml.WriteStartElement("trkseg", ns);
            foreach (var p in track.Where(p => p.Latitude is not null && p.Longitude is not null))
            {
                xml.WriteStartElement("trkpt", ns);
                xml.WriteAttributeString("lat", Number(p.Latitude!.Value));
                xml.WriteAttributeString("lon", Number(p.Longitude!.Value));
                xml.WriteElementString("time", ns, Time(p.RecordedAt));
                xml.WriteElementString("desc", ns,
                    $"speed {Number(Math.Round(p.SpeedMps * 3.6, 1))} km/h, ignition {(p.IgnitionOn ? "on" : "off")}, GSM {Cell(p)}, antennas GSM {p.GsmAntenna} GPS {p.GpsAntenna}");
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return stream.ToArray();
    }

    public static byte[] GeoJson(TheftCase k, VehicleDescription? vehicle, IReadOnlyList<TrackingPoint> track)
    {
        var located = track.Where(p => p.Latitude is not null && p.Longitude is not null).ToList();
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WriteStartObject("geometry");
            json.WriteString("type", "LineString");
            json.WriteStartArray("coordinates");
            foreach (var p in located)
            {
                Coordinates(json, p);
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteString("caseId", k.Id);
            json.WriteString("vin", k.Vin);
            json.WriteString("model", vehicle?.Model);
            json.WriteString("colour", vehicle?.Colour);
            json.WriteString("registrationNumber", vehicle?.RegistrationNumber);
            json.WriteString("reason", k.Reason);
            json.WriteString("openedAt", k.OpenedAt);
            json.WriteString("circumstances", k.Circumstances);
            json.WriteEndObject();
            json.WriteEndObject();
            foreach (var p in located)
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteStartObject("geometry");
                json.WriteString("type", "Point");
                json.WritePropertyName("coordinates");
                Coordinates(json, p);
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteNumber("seq", p.Seq);
                json.WriteString("phase", p.Phase);
                json.WriteString("recordedAt", p.RecordedAt);
                json.WriteNumber("speedMps", p.SpeedMps);
                json.WriteBoolean("ignitionOn", p.IgnitionOn);
                json.WriteBoolean("engineRunning", p.EngineRunning);
                json.WriteNumber("remainingRangeM", p.RemainingRangeM);
                json.WriteNumber("odometerM", p.OdometerM);
                if (p.AccuracyM is { } accuracy)
                {
                    json.WriteNumber("accuracyM", accuracy);
                }
                if (p.BatteryVoltageV is { } volts)
                {
                    json.WriteNumber("batteryVoltageV", volts);
                }
                if (p.FuelLevelPercent is { } fuel)
                {
                    json.WriteNumber("fuelLevelPercent", fuel);
                }
                json.WriteString("gsmCell", Cell(p));
                json.WriteString("gsmAntenna", p.GsmAntenna);
                json.WriteString("gpsAntenna", p.GpsAntenna);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    internal static string Title(TheftCase k, VehicleDescription? vehicle) =>
        vehicle is null ? $"Vehicle {k.Vin}" : $"{vehicle.Colour} {vehicle.Model}, registration {vehicle.RegistrationNumber}, VIN {k.Vin}";

    private static void Coordinates(Utf8JsonWriter json, TrackingPoint p)
    {
        json.WriteStartArray();
        json.WriteNumberValue(Math.Round(p.Longitude!.Value, 7));
        json.WriteNumberValue(Math.Round(p.Latitude!.Value, 7));
        json.WriteEndArray();
    }

    /// <summary>The GSM cell of a tracking message as mcc-mnc-lac-cell, or "unknown".</summary>
    internal static string Cell(TrackingPoint p) => p.GsmCell is { } g ? $"{g.Mcc}-{g.Mnc}-{g.Lac}-{g.CellId}" : "unknown";

    /// <summary>GPX's xsd:dateTime in UTC, e.g. <c>2026-12-06T20:05:12Z</c>.</summary>
    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Number(double value) => value.ToString("0.#######", CultureInfo.InvariantCulture);
}
