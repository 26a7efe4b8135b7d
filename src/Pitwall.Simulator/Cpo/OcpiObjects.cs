using System.Globalization;
using System.Text.Json.Nodes;

namespace Pitwall.Simulator.Cpo;

/// <summary>The OCPI 2.2.1 objects the CPO simulator sends, built from the module definitions (Location, EVSE, Connector, Tariff,
/// Session, CDR), in UTC RFC 3339 times.</summary>
public static class OcpiObjects
{
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string EvseUid(Station station, int point) => $"{station.Id}-{point}";

    public static JsonObject Location(string countryCode, string partyId, Station station, DateTimeOffset now)
    {
        var evses = new JsonArray();
        for (var i = 0; i < station.Points.Count; i++)
        {
            evses.Add(Evse(countryCode, partyId, station, i + 1, "AVAILABLE", now));
        }
        return new JsonObject
        {
            ["country_code"] = countryCode,
            ["party_id"] = partyId,
            ["id"] = station.Id,
            ["publish"] = true,
            ["name"] = $"{station.Operator}, {station.Street}",
            ["address"] = station.Street,
            ["city"] = station.City,
            ["postal_code"] = station.Postcode,
            ["country"] = "DEU",
            ["coordinates"] = new JsonObject
            {
                ["latitude"] = station.Latitude.ToString("0.000000", CultureInfo.InvariantCulture),
                ["longitude"] = station.Longitude.ToString("0.000000", CultureInfo.InvariantCulture),
            },
            ["evses"] = evses,
            ["operator"] = new JsonObject { ["name"] = station.Operator },
            ["time_zone"] = "Europe/Berlin",
            ["last_updated"] = Time(now),
        };
    }

    public static JsonObject Evse(string countryCode, string partyId, Station station, int point, string status, DateTimeOffset now)
    {
        var chargePoint = station.Points[point - 1];
        var dc = chargePoint.Plugs.Contains("DC", StringComparison.Ordinal);
        var standard = chargePoint.Plugs.Contains("Combo", StringComparison.Ordinal) ? "IEC_62196_T2_COMBO"
            : chargePoint.Plugs.Contains("CHAdeMO", StringComparison.Ordinal) ? "CHADEMO"
            : chargePoint.Plugs.Contains("Schuko", StringComparison.Ordinal) ? "DOMESTIC_F"
            : "IEC_62196_T2";
        const int voltage = 400;
        var amperage = (int)Math.Max(6, Math.Round(chargePoint.PowerKw * 1000 / (dc ? voltage : voltage * Math.Sqrt(3))));
        return new JsonObject
        {
            ["uid"] = EvseUid(station, point),
            ["evse_id"] = $"{countryCode}*{partyId}*E{station.Id}*{point}",
            ["status"] = status,
            ["connectors"] = new JsonArray(new JsonObject
            {
                ["id"] = "1",
                ["standard"] = standard,
                ["format"] = dc ? "CABLE" : "SOCKET",
                ["power_type"] = dc ? "DC" : "AC_3_PHASE",
                ["max_voltage"] = voltage,
                ["max_amperage"] = amperage,
                ["max_electric_power"] = (int)(chargePoint.PowerKw * 1000),
                ["tariff_ids"] = new JsonArray("STANDARD"),
                ["last_updated"] = Time(now),
            }),
            ["last_updated"] = Time(now),
        };
    }

    /// <summary>The simulator's one tariff: 0.39 EUR per kWh excluding VAT, VAT 19 %.</summary>
    public static JsonObject Tariff(string countryCode, string partyId, DateTimeOffset now) => new()
    {
        ["country_code"] = countryCode,
        ["party_id"] = partyId,
        ["id"] = "STANDARD",
        ["currency"] = "EUR",
        ["elements"] = new JsonArray(new JsonObject
        {
            ["price_components"] = new JsonArray(new JsonObject { ["type"] = "ENERGY", ["price"] = 0.39, ["vat"] = 19.0, ["step_size"] = 1 }),
        }),
        ["last_updated"] = Time(now),
    };

    public static JsonObject CdrToken(string emspCountry, string emspParty, string uid, string type, string contractId) => new()
    {
        ["country_code"] = emspCountry,
        ["party_id"] = emspParty,
        ["uid"] = uid,
        ["type"] = type,
        ["contract_id"] = contractId,
    };
}
