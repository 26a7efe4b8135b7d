using System.Text.Json.Nodes;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Charging.Ocpi;

namespace Pitwall.Server.Features.Charging.Stations;

/// <summary>
/// The stations of all operators for the driver's map (G1, remote start): the published OCPI Locations the operators pushed, found
/// by their coordinates inside the stored object (JSON functions of each engine), nearest to the area's centre first. A location with
/// <c>publish</c> false is not shown; REMOVED EVSEs are left out. An EVSE's status is the last one its operator pushed.
/// </summary>
internal sealed class ChargingStations(Database database) : IChargingStations
{
    // The coordinates are strings in the stored object; a value that is not a decimal number is never in any box.
    private string Coordinates => database.Dialect == SqlDialect.Postgres
        ? """
          SELECT partner_id, country_code, party_id, id, body,
              CASE WHEN b #>> '{coordinates,latitude}' ~ '^-?[0-9]{1,3}\.[0-9]+$' THEN CAST(b #>> '{coordinates,latitude}' AS double precision) END AS lat,
              CASE WHEN b #>> '{coordinates,longitude}' ~ '^-?[0-9]{1,3}\.[0-9]+$' THEN CAST(b #>> '{coordinates,longitude}' AS double precision) END AS lon
          FROM (SELECT partner_id, country_code, party_id, id, body, CAST(body AS jsonb) AS b FROM charging_locations) AS parsed
          WHERE b ->> 'publish' = 'true'
          """
        : """
          SELECT partner_id, country_code, party_id, id, body,
              CAST(json_extract(body, '$.coordinates.latitude') AS REAL) AS lat, CAST(json_extract(body, '$.coordinates.longitude') AS REAL) AS lon
          FROM charging_locations
          WHERE json_extract(body, '$.publish') = 1
          """;

    public async Task<IReadOnlyList<ChargingStationResponse>> InBoxAsync(GeoBox box, int limit, CancellationToken cancellationToken)
    {
        var (lat, lon) = box.Centre;
        var rows = await database.ReadAsync(c => c.QueryAsync<(string PartnerId, string CountryCode, string PartyId, string Body)>(
            $"""
             SELECT partner_id, country_code, party_id, body FROM ({Coordinates}) AS l
             WHERE lat BETWEEN @South AND @North AND lon BETWEEN @West AND @East
             ORDER BY (lat - @lat) * (lat - @lat) + (lon - @lon) * (lon - @lon) * @squeeze, partner_id, country_code, party_id, id
             LIMIT @limit
             """, new { box.South, box.North, box.West, box.East, lat, lon, squeeze = Math.Pow(Math.Cos(lat * Math.PI / 180), 2), limit }), cancellationToken);
        return [.. rows.Select(r => From(r.CountryCode, r.PartyId, JsonNode.Parse(r.Body) as JsonObject)).OfType<ChargingStationResponse>()];
    }

    public async Task<GeoBox?> DefaultBoxAsync(CancellationToken cancellationToken)
    {
        var (lat, lon) = await database.ReadAsync(c => c.QuerySingleAsync<(double? Lat, double? Lon)>(
            $"SELECT AVG(lat), AVG(lon) FROM ({Coordinates}) AS l WHERE lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180"), cancellationToken);
        return lat is { } la && lon is { } lo ? GeoBox.Around(la, lo, 0.15) : null;
    }

    private static ChargingStationResponse? From(string countryCode, string partyId, JsonObject? location)
    {
        if (location?["coordinates"] is not JsonObject coordinates || GeoLocation.Read(coordinates) is not var (lat, lon))
        {
            return null;
        }
        var evses = (location["evses"] as JsonArray)?.OfType<JsonObject>()
            .Where(e => e.Text("status") != "REMOVED" && e.Text("uid") is not null)
            .Select(e => new StationEvseResponse(
                e.Text("uid")!, e.Text("evse_id"), e.Text("status") ?? "UNKNOWN",
                OcpiJson.TryParseTime(e.Text("last_updated"), out var updated) ? updated : null,
                [.. (e["connectors"] as JsonArray)?.OfType<JsonObject>().Select(Connector) ?? []]))
            .ToList() ?? [];
        return new(
            location.Text("id") ?? "", location.Text("name"), location.Text("address") ?? "", location.Text("city") ?? "", location.Text("postal_code"),
            (location["operator"] as JsonObject)?.Text("name") ?? $"{countryCode}*{partyId}", lat, lon, evses);
    }

    private static StationConnectorResponse Connector(JsonObject c)
    {
        var watts = c.Number("max_electric_power")
                    ?? (c.Number("max_voltage") * c.Number("max_amperage") * (c.Text("power_type") == "AC_3_PHASE" ? (decimal)Math.Sqrt(3) : 1));
        return new(c.Text("id") ?? "", c.Text("standard") ?? "", c.Text("power_type") ?? "",
            watts is { } w ? Math.Round((double)w / 1000, 1) : null);
    }
}
