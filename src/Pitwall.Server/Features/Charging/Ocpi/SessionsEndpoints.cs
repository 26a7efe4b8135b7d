using Pitwall.Server.Features.Charging.Sessions;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>
/// Sessions, Receiver interface: the partner pushes a session when it starts and as it runs (PUT the whole object, PATCH some fields
/// with <c>last_updated</c>). A session of a token Pitwall does not know is refused with 2004. An update whose <c>last_updated</c> is older
/// than the stored one arrived out of order: acknowledged and ignored. Each stored update goes to the account's apps live.
/// </summary>
internal static class SessionsEndpoints
{
    private const string Path = "/sessions/{countryCode}/{partyId}/{sessionId}";

    public static void MapOcpiSessions(this RouteGroupBuilder module)
    {
        module.MapGet(Path, Get);
        module.MapPut(Path, Put);
        module.MapPatch(Path, Patch);
    }

    private static async Task<OcpiResult> Get(string countryCode, string partyId, string sessionId, HttpContext http, ChargeRecordStore store)
    {
        var caller = OcpiCaller.Of(http);
        if (!caller.Owns(countryCode, partyId))
        {
            return OcpiCaller.NotYours();
        }
        return await store.SessionAsync(caller.Partner.Id, countryCode, partyId, sessionId, http.RequestAborted) is { } session
            ? OcpiResult.Ok(session)
            : OcpiResult.NotFound(OcpiStatus.ClientError, "Unknown session.");
    }

    private static async Task<OcpiResult> Put(
        string countryCode, string partyId, string sessionId, HttpContext http, ChargeRecordStore store, OcpiTokenLookup tokens, LiveSessions live)
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
        if (OcpiRules.Session(body) is { } problem)
        {
            return OcpiResult.Invalid(problem);
        }
        if (!string.Equals(body.Text("country_code"), countryCode, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(body.Text("party_id"), partyId, StringComparison.OrdinalIgnoreCase) || body.Text("id") != sessionId)
        {
            return OcpiResult.Invalid("The session's ids differ from the URL's.");
        }
        if (await tokens.FindAsync(body["cdr_token"], http.RequestAborted) is not { } token)
        {
            return OcpiResult.Refused(OcpiStatus.UnknownToken, "Unknown token.");
        }
        var stored = await store.SessionAsync(caller.Partner.Id, countryCode, partyId, sessionId, http.RequestAborted);
        if (stored is not null && OcpiRules.LastUpdated(stored) > OcpiRules.LastUpdated(body))
        {
            return OcpiResult.Ok(null);
        }
        var created = await store.PutSessionAsync(caller.Partner.Id, countryCode, partyId, sessionId, token.AccountId, token.Uid, body, http.RequestAborted);
        await live.PublishAsync(token.AccountId, caller.Partner.Id, body, http.RequestAborted);
        return OcpiResult.Ok(null, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<OcpiResult> Patch(
        string countryCode, string partyId, string sessionId, HttpContext http, ChargeRecordStore store, OcpiTokenLookup tokens, LiveSessions live)
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
        var stored = await store.SessionAsync(caller.Partner.Id, countryCode, partyId, sessionId, http.RequestAborted);
        if (stored is null)
        {
            return OcpiResult.Refused(OcpiStatus.InvalidOrMissingParameters, "Unknown session: PUT it first.");
        }
        if (OcpiRules.LastUpdated(stored) > OcpiRules.LastUpdated(body))
        {
            return OcpiResult.Ok(null);
        }
        foreach (var (name, value) in body)
        {
            if (name is not ("id" or "country_code" or "party_id" or "cdr_token"))
            {
                stored[name] = value?.DeepClone();
            }
        }
        if (await tokens.FindAsync(stored["cdr_token"], http.RequestAborted) is not { } token)
        {
            return OcpiResult.Refused(OcpiStatus.UnknownToken, "Unknown token.");
        }
        await store.PutSessionAsync(caller.Partner.Id, countryCode, partyId, sessionId, token.AccountId, token.Uid, stored, http.RequestAborted);
        await live.PublishAsync(token.AccountId, caller.Partner.Id, stored, http.RequestAborted);
        return OcpiResult.Ok(null);
    }
}
