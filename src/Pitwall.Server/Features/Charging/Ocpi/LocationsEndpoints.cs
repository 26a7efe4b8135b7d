using System.Text.Json.Nodes;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>
/// Locations, Receiver interface: the partner pushes its locations, EVSEs and connectors (PUT replaces, PATCH changes some fields
/// and must carry <c>last_updated</c>; a status change is a PATCH of the EVSE). An EVSE or connector of an unknown location is refused
/// with 2003. An update older than what is stored (<c>last_updated</c>) is acknowledged and ignored, so out-of-order pushes change nothing.
/// </summary>
internal static class LocationsEndpoints
{
    private const string LocationPath = "/locations/{countryCode}/{partyId}/{locationId}";

    public static void MapOcpiLocations(this RouteGroupBuilder module)
    {
        module.MapGet(LocationPath + "/{evseUid?}/{connectorId?}", Get);
        module.MapPut(LocationPath + "/{evseUid?}/{connectorId?}", Put);
        module.MapPatch(LocationPath + "/{evseUid?}/{connectorId?}", Patch);
    }

    private static async Task<OcpiResult> Get(string countryCode, string partyId, string locationId, string? evseUid, string? connectorId, HttpContext http,
        PartnerObjectStore store)
    {
        var caller = OcpiCaller.Of(http);
        if (!caller.Owns(countryCode, partyId))
        {
            return OcpiCaller.NotYours();
        }
        var location = await store.GetAsync(PartnerTable.Locations, caller.Partner.Id, countryCode, partyId, locationId, http.RequestAborted);
        var target = location is null ? null : Find(location, evseUid, connectorId);
        return target is null ? OcpiResult.NotFound(OcpiStatus.UnknownLocation, "Unknown location, EVSE or connector.") : OcpiResult.Ok(target);
    }

    private static async Task<OcpiResult> Put(string countryCode, string partyId, string locationId, string? evseUid, string? connectorId, HttpContext http,
        PartnerObjectStore store)
    {
        var caller = OcpiCaller.Of(http);
        if (!caller.Owns(countryCode, partyId))
        {
            return OcpiCaller.NotYours();
        }
        var (body, error) = await OcpiBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return error!;
        }
        var problem = evseUid is null ? OcpiRules.Location(body) : connectorId is null ? OcpiRules.Evse(body) : OcpiRules.Connector(body);
        if (problem is not null)
        {
            return OcpiResult.Invalid(problem);
        }
        var key = evseUid is null ? (body.Text("country_code"), body.Text("party_id"), body.Text("id")) : (countryCode, partyId, locationId);
        if (!string.Equals(key.Item1, countryCode, StringComparison.OrdinalIgnoreCase) || !string.Equals(key.Item2, partyId, StringComparison.OrdinalIgnoreCase)
            || key.Item3 != locationId || evseUid is not null && connectorId is null && body.Text("uid") != evseUid
            || connectorId is not null && body.Text("id") != connectorId)
        {
            return OcpiResult.Invalid("The object's ids differ from the URL's.");
        }
        var stored = await store.GetAsync(PartnerTable.Locations, caller.Partner.Id, countryCode, partyId, locationId, http.RequestAborted);
        JsonObject location;
        if (evseUid is null)
        {
            if (stored is not null && OcpiRules.LastUpdated(stored) > OcpiRules.LastUpdated(body))
            {
                return OcpiResult.Ok(null); // older than what is stored: acknowledged, ignored
            }
            location = body;
        }
        else
        {
            if (stored is null)
            {
                return OcpiResult.Refused(OcpiStatus.UnknownLocation, "Unknown location: push it first.");
            }
            var parent = connectorId is null ? stored : Find(stored, evseUid, null) as JsonObject;
            if (parent is null)
            {
                return OcpiResult.Refused(OcpiStatus.UnknownLocation, "Unknown EVSE: push it first.");
            }
            var listName = connectorId is null ? "evses" : "connectors";
            var idName = connectorId is null ? "uid" : "id";
            if (parent[listName] is not JsonArray list)
            {
                parent[listName] = list = [];
            }
            var existing = list.OfType<JsonObject>().FirstOrDefault(i => i.Text(idName) == (connectorId ?? evseUid));
            if (existing is not null && OcpiRules.LastUpdated(existing) > OcpiRules.LastUpdated(body))
            {
                return OcpiResult.Ok(null);
            }
            if (existing is not null)
            {
                list.Remove(existing);
            }
            list.Add(body.DeepClone());
            Touch(stored, body);
            location = stored;
        }
        var created = await store.PutAsync(PartnerTable.Locations, caller.Partner.Id, countryCode, partyId, locationId, location, OcpiRules.LastUpdated(location),
            http.RequestAborted);
        return OcpiResult.Ok(null, created && evseUid is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<OcpiResult> Patch(string countryCode, string partyId, string locationId, string? evseUid, string? connectorId, HttpContext http,
        PartnerObjectStore store)
    {
        var caller = OcpiCaller.Of(http);
        if (!caller.Owns(countryCode, partyId))
        {
            return OcpiCaller.NotYours();
        }
        var (body, error) = await OcpiBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return error!;
        }
        if (OcpiRules.Patch(body) is { } problem)
        {
            return OcpiResult.Invalid(problem);
        }
        var stored = await store.GetAsync(PartnerTable.Locations, caller.Partner.Id, countryCode, partyId, locationId, http.RequestAborted);
        if (stored is null || Find(stored, evseUid, connectorId) is not JsonObject target)
        {
            return OcpiResult.Refused(OcpiStatus.UnknownLocation, "Unknown location, EVSE or connector.");
        }
        if (OcpiRules.LastUpdated(target) > OcpiRules.LastUpdated(body))
        {
            return OcpiResult.Ok(null);
        }
        foreach (var (name, value) in body)
        {
            if (name is not ("id" or "uid" or "country_code" or "party_id"))
            {
                target[name] = value?.DeepClone();
            }
        }
        Touch(stored, body);
        await store.PutAsync(PartnerTable.Locations, caller.Partner.Id, countryCode, partyId, locationId, stored, OcpiRules.LastUpdated(stored), http.RequestAborted);
        return OcpiResult.Ok(null);
    }

    /// <summary>A change of an EVSE or connector also changes its location's <c>last_updated</c> (OCPI), never backwards.</summary>
    private static void Touch(JsonObject location, JsonObject change)
    {
        if (OcpiRules.LastUpdated(change) > OcpiRules.LastUpdated(location))
        {
            location["last_updated"] = change["last_updated"]!.DeepClone();
        }
    }

    private static JsonNode? Find(JsonObject location, string? evseUid, string? connectorId)
    {
        if (evseUid is null)
        {
            return location;
        }
        var evse = (location["evses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => e.Text("uid") == evseUid);
        return connectorId is null || evse is null ? evse : (evse["connectors"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Text("id") == connectorId);
    }
}
