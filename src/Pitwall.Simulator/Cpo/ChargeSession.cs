using System.Text.Json.Nodes;

namespace Pitwall.Simulator.Cpo;

/// <summary>One charge at a station as the CPO reports it: the OCPI Session while it runs and the CDR when it ends.</summary>
public sealed class ChargeSession(string countryCode, string partyId, Station station, int point, JsonObject cdrToken, string authMethod, string? authorizationReference)
{
    public const decimal PricePerKwh = 0.39m;

    public string Id { get; } = "S" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();

    public string LocationId => station.Id;

    public string EvseUid => OcpiObjects.EvseUid(station, point);

    public JsonObject Session(string status, DateTimeOffset start, decimal kwh, DateTimeOffset now, DateTimeOffset? end = null)
    {
        var session = new JsonObject
        {
            ["country_code"] = countryCode,
            ["party_id"] = partyId,
            ["id"] = Id,
            ["start_date_time"] = OcpiObjects.Time(start),
            ["kwh"] = kwh,
            ["cdr_token"] = cdrToken.DeepClone(),
            ["auth_method"] = authMethod,
            ["location_id"] = station.Id,
            ["evse_uid"] = EvseUid,
            ["connector_id"] = "1",
            ["currency"] = "EUR",
            ["total_cost"] = new JsonObject { ["excl_vat"] = Math.Round(kwh * PricePerKwh, 2), ["incl_vat"] = Math.Round(kwh * PricePerKwh * 1.19m, 2) },
            ["status"] = status,
            ["last_updated"] = OcpiObjects.Time(now),
        };
        if (authorizationReference is not null)
        {
            session["authorization_reference"] = authorizationReference;
        }
        if (end is not null)
        {
            session["end_date_time"] = OcpiObjects.Time(end.Value);
        }
        return session;
    }

    public JsonObject Cdr(DateTimeOffset start, DateTimeOffset end, decimal kwh, DateTimeOffset now)
    {
        var hours = Math.Round((decimal)(end - start).TotalHours, 4);
        var evse = OcpiObjects.Evse(countryCode, partyId, station, point, "AVAILABLE", now);
        var connector = (JsonObject)evse["connectors"]![0]!;
        var cost = Math.Round(kwh * PricePerKwh, 2);
        return new JsonObject
        {
            ["country_code"] = countryCode,
            ["party_id"] = partyId,
            ["id"] = "CDR-" + Id,
            ["start_date_time"] = OcpiObjects.Time(start),
            ["end_date_time"] = OcpiObjects.Time(end),
            ["session_id"] = Id,
            ["cdr_token"] = cdrToken.DeepClone(),
            ["auth_method"] = authMethod,
            ["cdr_location"] = new JsonObject
            {
                ["id"] = station.Id,
                ["name"] = $"{station.Operator}, {station.Street}",
                ["address"] = station.Street,
                ["city"] = station.City,
                ["postal_code"] = station.Postcode,
                ["country"] = "DEU",
                ["coordinates"] = OcpiObjects.Location(countryCode, partyId, station, now)["coordinates"]!.DeepClone(),
                ["evse_uid"] = EvseUid,
                ["evse_id"] = evse["evse_id"]!.DeepClone(),
                ["connector_id"] = "1",
                ["connector_standard"] = connector["standard"]!.DeepClone(),
                ["connector_format"] = connector["format"]!.DeepClone(),
                ["connector_power_type"] = connector["power_type"]!.DeepClone(),
            },
            ["currency"] = "EUR",
            ["tariffs"] = new JsonArray(OcpiObjects.Tariff(countryCode, partyId, now)),
            ["charging_periods"] = new JsonArray(new JsonObject
            {
                ["start_date_time"] = OcpiObjects.Time(start),
                ["dimensions"] = new JsonArray(new JsonObject { ["type"] = "ENERGY", ["volume"] = kwh }, new JsonObject { ["type"] = "TIME", ["volume"] = hours }),
                ["tariff_id"] = "STANDARD",
            }),
            ["total_cost"] = new JsonObject { ["excl_vat"] = cost, ["incl_vat"] = Math.Round(cost * 1.19m, 2) },
            ["total_energy"] = kwh,
            ["total_energy_cost"] = new JsonObject { ["excl_vat"] = cost, ["incl_vat"] = Math.Round(cost * 1.19m, 2) },
            ["total_time"] = hours,
            ["last_updated"] = OcpiObjects.Time(now),
        };
    }
}
