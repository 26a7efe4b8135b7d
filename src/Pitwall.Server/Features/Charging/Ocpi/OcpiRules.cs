using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging.Stations;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>
/// The required fields of the OCPI 2.2.1 objects Pitwall receives (from the module definitions' cardinality 1 and +), checked
/// before anything is stored: the first problem, or null.
/// </summary>
internal static class OcpiRules
{
    public static string? Location(JsonObject o) =>
        o.Missing("country_code", "party_id", "id", "publish", "address", "city", "country", "coordinates", "time_zone", "last_updated")
        ?? Time(o, "last_updated")
        ?? (o["coordinates"] is JsonObject c ? c.Missing("latitude", "longitude") ?? Coordinates(c) : "coordinates must be an object.")
        ?? Each(o, "evses", Evse, required: false);

    /// <summary>GeoLocation: decimal degrees as strings, 5 to 7 decimals (<c>-?[0-9]{1,2}\.[0-9]{5,7}</c>, longitude up to 3 digits
    /// before the point), within the globe.</summary>
    private static string? Coordinates(JsonObject c) =>
        GeoLocation.Read(c) is null ? "coordinates: latitude and longitude are decimal degrees as strings with 5 to 7 decimals." : null;

    public static string? Evse(JsonObject o) =>
        o.Missing("uid", "status", "connectors", "last_updated") ?? Time(o, "last_updated")
        ?? (o["connectors"] is JsonArray { Count: > 0 } ? Each(o, "connectors", Connector, required: true) : "An EVSE needs at least one connector.");

    public static string? Connector(JsonObject o) =>
        o.Missing("id", "standard", "format", "power_type", "max_voltage", "max_amperage", "last_updated") ?? Time(o, "last_updated");

    public static string? Tariff(JsonObject o) =>
        o.Missing("country_code", "party_id", "id", "currency", "elements", "last_updated") ?? Time(o, "last_updated")
        ?? (o["elements"] is JsonArray { Count: > 0 } elements
            ? elements.Select(e => e is JsonObject element && element["price_components"] is JsonArray { Count: > 0 } components
                ? components.Select(p => p is JsonObject pc ? pc.Missing("type", "price", "step_size") : "A price component must be an object.").FirstOrDefault(m => m is not null)
                : "Each tariff element needs price_components.").FirstOrDefault(m => m is not null)
            : "A tariff needs at least one element.");

    public static string? CdrToken(JsonNode? node) =>
        node is JsonObject o ? o.Missing("country_code", "party_id", "uid", "type", "contract_id") : "cdr_token must be an object.";

    public static string? Session(JsonObject o) =>
        o.Missing("country_code", "party_id", "id", "start_date_time", "kwh", "cdr_token", "auth_method", "location_id", "evse_uid", "connector_id",
            "currency", "status", "last_updated")
        ?? Time(o, "start_date_time") ?? Time(o, "last_updated") ?? (o["end_date_time"] is null ? null : Time(o, "end_date_time"))
        ?? CdrToken(o["cdr_token"]);

    public static string? Cdr(JsonObject o) =>
        o.Missing("country_code", "party_id", "id", "start_date_time", "end_date_time", "cdr_token", "auth_method", "cdr_location", "currency",
            "charging_periods", "total_cost", "total_energy", "total_time", "last_updated")
        ?? Time(o, "start_date_time") ?? Time(o, "end_date_time") ?? Time(o, "last_updated")
        ?? CdrToken(o["cdr_token"])
        ?? (o["cdr_location"] is JsonObject l
            ? l.Missing("id", "address", "city", "country", "coordinates", "evse_uid", "evse_id", "connector_id", "connector_standard", "connector_format", "connector_power_type")
            : "cdr_location must be an object.")
        ?? (o["total_cost"] is JsonObject cost ? cost.Missing("excl_vat") : "total_cost must be a Price.")
        ?? (o.Number("total_energy") is null ? "total_energy must be a number." : null)
        ?? (o["charging_periods"] is JsonArray { Count: > 0 } ? null : "A CDR needs at least one charging period.");

    /// <summary>A PATCH must carry <c>last_updated</c> (OCPI 2.2.1).</summary>
    public static string? Patch(JsonObject o) => o.Missing("last_updated") ?? Time(o, "last_updated");

    public static DateTimeOffset LastUpdated(JsonObject o) => OcpiJson.TryParseTime(o.Text("last_updated"), out var time) ? time : DateTimeOffset.MinValue;

    private static string? Time(JsonObject o, string name) =>
        OcpiJson.TryParseTime(o.Text(name), out _) ? null : $"{name} must be an RFC 3339 time in UTC.";

    private static string? Each(JsonObject o, string name, Func<JsonObject, string?> rule, bool required)
    {
        if (o[name] is null)
        {
            return required ? $"Missing required field(s): {name}" : null;
        }
        if (o[name] is not JsonArray items)
        {
            return $"{name} must be a list.";
        }
        return items.Select(i => i is JsonObject item ? rule(item) : $"Each of {name} must be an object.").FirstOrDefault(m => m is not null);
    }
}
