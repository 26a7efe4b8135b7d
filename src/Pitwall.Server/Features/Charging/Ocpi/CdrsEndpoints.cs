namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>
/// CDRs, Receiver interface: the partner POSTs a charge detail record when a session ends; Pitwall stores it for billing and answers
/// with its URL in <c>Location</c>. A CDR cannot be replaced: the same CDR again is answered as the first time (same <c>Location</c>)
/// and changes nothing. A CDR of a token Pitwall does not know is refused with 2004 and not stored.
/// </summary>
internal static class CdrsEndpoints
{
    public static void MapOcpiCdrs(this RouteGroupBuilder module)
    {
        module.MapPost("/cdrs", Post);
        module.MapGet("/cdrs/{countryCode}/{partyId}/{cdrId}", Get);
    }

    private static async Task<OcpiResult> Get(string countryCode, string partyId, string cdrId, HttpContext http, ChargeRecordStore store)
    {
        var caller = OcpiCaller.Of(http);
        if (!caller.Owns(countryCode, partyId))
        {
            return OcpiCaller.NotYours();
        }
        return await store.CdrAsync(caller.Partner.Id, countryCode, partyId, cdrId, http.RequestAborted) is { } cdr
            ? OcpiResult.Ok(cdr.Body)
            : OcpiResult.NotFound(OcpiStatus.ClientError, "Unknown CDR.");
    }

    private static async Task<OcpiResult> Post(HttpContext http, ChargeRecordStore store, OcpiTokenLookup tokens, OcpiUrls urls, TimeProvider time)
    {
        var caller = OcpiCaller.Of(http);
        var (body, error) = await OcpiBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return error!;
        }
        if (OcpiRules.Cdr(body) is { } problem)
        {
            return OcpiResult.Invalid(problem);
        }
        var countryCode = body.Text("country_code")!.ToUpperInvariant();
        var partyId = body.Text("party_id")!.ToUpperInvariant();
        if (!caller.Owns(countryCode, partyId))
        {
            return OcpiResult.Invalid("The CDR's country_code and party_id are not a party you registered as.");
        }
        if (await tokens.FindAsync(body["cdr_token"], http.RequestAborted) is not { } token)
        {
            return OcpiResult.Refused(OcpiStatus.UnknownToken, "Unknown token: the CDR is not stored.");
        }
        var id = body.Text("id")!;
        OcpiJson.TryParseTime(body.Text("start_date_time"), out var start);
        OcpiJson.TryParseTime(body.Text("end_date_time"), out var end);
        var cdr = new StoredCdr(caller.Partner.Id, countryCode, partyId, id, token.AccountId, token.ContractId, body.Text("session_id"), start, end,
            body.Number("total_energy")!.Value, (body["total_cost"] as System.Text.Json.Nodes.JsonObject)?.Number("excl_vat") ?? 0, body.Text("currency")!, body,
            time.GetUtcNow());
        var created = await store.AddCdrAsync(cdr, http.RequestAborted);
        var location = $"{urls.Module(http.Request, "cdrs")}/{countryCode}/{partyId}/{Uri.EscapeDataString(id)}";
        return OcpiResult.Ok(null, created ? StatusCodes.Status201Created : StatusCodes.Status200OK).WithHeader("Location", location);
    }
}
