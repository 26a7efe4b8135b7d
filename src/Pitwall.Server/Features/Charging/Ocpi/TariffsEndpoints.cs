namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>Tariffs, Receiver interface: the partner pushes (PUT), and removes (DELETE) its tariffs; an older push than the stored
/// one is acknowledged and ignored.</summary>
internal static class TariffsEndpoints
{
    private const string Path = "/tariffs/{countryCode}/{partyId}/{tariffId}";

    public static void MapOcpiTariffs(this RouteGroupBuilder module)
    {
        module.MapGet(Path, Get);
        module.MapPut(Path, Put);
        module.MapDelete(Path, Delete);
    }

    private static async Task<OcpiResult> Get(string countryCode, string partyId, string tariffId, HttpContext http, PartnerObjectStore store)
    {
        var caller = OcpiCaller.Of(http);
        if (!caller.Owns(countryCode, partyId))
        {
            return OcpiCaller.NotYours();
        }
        return await store.GetAsync(PartnerTable.Tariffs, caller.Partner.Id, countryCode, partyId, tariffId, http.RequestAborted) is { } tariff
            ? OcpiResult.Ok(tariff)
            : OcpiResult.NotFound(OcpiStatus.ClientError, "Unknown tariff.");
    }

    private static async Task<OcpiResult> Put(string countryCode, string partyId, string tariffId, HttpContext http, PartnerObjectStore store)
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
        if (OcpiRules.Tariff(body) is { } problem)
        {
            return OcpiResult.Invalid(problem);
        }
        if (!string.Equals(body.Text("country_code"), countryCode, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(body.Text("party_id"), partyId, StringComparison.OrdinalIgnoreCase) || body.Text("id") != tariffId)
        {
            return OcpiResult.Invalid("The tariff's ids differ from the URL's.");
        }
        var stored = await store.GetAsync(PartnerTable.Tariffs, caller.Partner.Id, countryCode, partyId, tariffId, http.RequestAborted);
        if (stored is not null && OcpiRules.LastUpdated(stored) > OcpiRules.LastUpdated(body))
        {
            return OcpiResult.Ok(null);
        }
        var created = await store.PutAsync(PartnerTable.Tariffs, caller.Partner.Id, countryCode, partyId, tariffId, body, OcpiRules.LastUpdated(body), http.RequestAborted);
        return OcpiResult.Ok(null, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<OcpiResult> Delete(string countryCode, string partyId, string tariffId, HttpContext http, PartnerObjectStore store)
    {
        var caller = OcpiCaller.Of(http);
        if (!caller.Owns(countryCode, partyId))
        {
            return OcpiCaller.NotYours();
        }
        return await store.DeleteAsync(PartnerTable.Tariffs, caller.Partner.Id, countryCode, partyId, tariffId, http.RequestAborted)
            ? OcpiResult.Ok(null)
            : OcpiResult.NotFound(OcpiStatus.ClientError, "Unknown tariff.");
    }
}
