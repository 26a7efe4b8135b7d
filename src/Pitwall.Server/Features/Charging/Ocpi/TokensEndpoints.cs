using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Privacy.Processors;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>
/// Tokens, Sender interface: the partner pulls the accounts' tokens (paginated by <c>last_updated</c>: <c>date_from</c> inclusive,
/// <c>date_to</c> exclusive, <c>offset</c>, <c>limit</c>; <c>Link</c>, <c>X-Total-Count</c>, <c>X-Limit</c>) and asks for real-time
/// authorisation (<c>POST {uid}/authorize[?type=]</c>, answered with an AuthorizationInfo; an unknown token is HTTP 404 with 2004).
/// Each token leaves through the processor gateway under the operators' declaration.
/// </summary>
internal static class TokensEndpoints
{
    public static void MapOcpiTokens(this RouteGroupBuilder module)
    {
        module.MapGet("/tokens", List);
        module.MapPost("/tokens/{uid}/authorize", Authorize);
    }

    private static async Task<OcpiResult> List(
        HttpRequest request, ChargingTokenStore tokens, ProcessorGateway gateway, IOptions<ChargingOptions> options, OcpiUrls urls, CancellationToken cancellationToken)
    {
        var query = request.Query;
        if (!TryTime(query["date_from"], out var from) || !TryTime(query["date_to"], out var to))
        {
            return OcpiResult.Invalid("date_from and date_to are RFC 3339 times in UTC.");
        }
        var max = options.Value.PageLimit;
        if (!TryInt(query["offset"], 0, out var offset) || !TryInt(query["limit"], max, out var limit) || offset < 0 || limit < 0)
        {
            return OcpiResult.Invalid("offset and limit are whole numbers of 0 or more.");
        }
        limit = Math.Min(limit, max);
        var (page, total) = await tokens.PageAsync(from, to, offset, limit, cancellationToken);
        var result = OcpiResult.Ok(page.Select(token => Release(gateway, token, options.Value)).ToList())
            .WithHeader("X-Total-Count", total.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-Limit", max.ToString(CultureInfo.InvariantCulture));
        if (offset + page.Count < total && page.Count > 0)
        {
            var next = new Dictionary<string, string?>
            {
                ["date_from"] = from is null ? null : OcpiJson.Time(from.Value),
                ["date_to"] = to is null ? null : OcpiJson.Time(to.Value),
                ["offset"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture),
                ["limit"] = limit.ToString(CultureInfo.InvariantCulture),
            };
            var url = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(urls.Module(request, "tokens"), next.Where(p => p.Value is not null));
            result.WithHeader("Link", $"<{url}>; rel=\"next\"");
        }
        return result;
    }

    private static async Task<OcpiResult> Authorize(
        string uid, HttpContext http, TokenAuthorizer authorizer, ProcessorGateway gateway, IOptions<ChargingOptions> options, CancellationToken cancellationToken)
    {
        var type = http.Request.Query["type"].ToString() is { Length: > 0 } given ? given : ChargingToken.Rfid;
        JsonObject? location = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, error) = await OcpiBody.ReadObjectAsync(http.Request, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            if (body!.Text("location_id") is null)
            {
                return OcpiResult.Invalid("LocationReferences need a location_id.");
            }
            location = body;
        }
        if (await authorizer.AuthorizeAsync(uid, type, cancellationToken) is not var (token, allowed))
        {
            return OcpiResult.NotFound(OcpiStatus.UnknownToken, "Unknown token.");
        }
        return OcpiResult.Ok(new
        {
            allowed,
            token = Release(gateway, token, options.Value),
            location,
            authorization_reference = allowed == Allowed.Yes ? Guid.NewGuid().ToString("N") : null,
        });
    }

    /// <summary>The OCPI Token object, as the processor gateway releases it to the operators.</summary>
    internal static JsonNode? Release(ProcessorGateway gateway, ChargingToken token, ChargingOptions options)
    {
        var ocpi = new
        {
            country_code = options.CountryCode,
            party_id = options.PartyId,
            uid = token.Uid,
            type = token.Type,
            contract_id = token.ContractId,
            visual_number = token.VisualNumber,
            issuer = options.BusinessName,
            valid = token.Valid,
            // Cards are authorised in real time, allowed when Pitwall cannot be reached; the app's token starts sessions by command.
            whitelist = token.Type == ChargingToken.Rfid ? "ALLOWED_OFFLINE" : "NEVER",
            last_updated = OcpiJson.Time(token.LastUpdated),
        };
        var released = gateway.Release(ChargingDataCategories.Operators, new OutboundData().Add(DataElement.ChargingToken, JsonSerializer.Serialize(ocpi, OcpiJson.Options)));
        return released[DataElement.ChargingToken] is { } json ? JsonNode.Parse(json) : null;
    }

    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        var ok = OcpiJson.TryParseTime(text, out var parsed);
        time = parsed;
        return ok;
    }

    private static bool TryInt(string? text, int fallback, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
