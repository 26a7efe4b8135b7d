using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>
/// Versions, version details and credentials (OCPI 2.2.1 eMSP). The registration: an administrator creates the partner and hands
/// it token A and the versions URL; the partner reads the versions with token A and POSTs its credentials (its token B, its versions
/// URL, its CPO role); Pitwall reads the partner's versions with token B and answers with token C; token A is then void. PUT
/// updates the registration (new token B and C), DELETE ends it. POST when registered, PUT or DELETE when not: HTTP 405.
/// </summary>
internal static partial class CredentialsEndpoints
{
    public static void MapOcpiCredentials(this IEndpointRouteBuilder ocpi)
    {
        var open = ocpi.MapGroup("").AddEndpointFilter(new OcpiAuthFilter(registrationAllowed: true));
        open.MapGet("/versions", Versions);
        open.MapGet("/" + OcpiUrls.Version, VersionDetails);
        open.MapGet("/" + OcpiUrls.Version + "/credentials", Get);
        open.MapPost("/" + OcpiUrls.Version + "/credentials", Register);
        open.MapPut("/" + OcpiUrls.Version + "/credentials", Update);
        open.MapDelete("/" + OcpiUrls.Version + "/credentials", Unregister);
    }

    private static OcpiResult Versions(HttpRequest request, OcpiUrls urls) =>
        OcpiResult.Ok(new[] { new { version = OcpiUrls.Version, url = urls.Base(request) + OcpiUrls.VersionRoot } });

    /// <summary>The modules Pitwall implements, with its role in each.</summary>
    private static readonly (string Module, string Role)[] Modules =
    [
        ("credentials", "SENDER"), ("credentials", "RECEIVER"), ("locations", "RECEIVER"), ("sessions", "RECEIVER"),
        ("cdrs", "RECEIVER"), ("tariffs", "RECEIVER"), ("tokens", "SENDER"), ("commands", "SENDER"),
    ];

    private static OcpiResult VersionDetails(HttpRequest request, OcpiUrls urls) => OcpiResult.Ok(new
    {
        version = OcpiUrls.Version,
        endpoints = Modules.Select(m => new { identifier = m.Module, role = m.Role, url = urls.Module(request, m.Module) }),
    });

    private static OcpiResult Get(HttpContext http, OcpiUrls urls, IOptions<ChargingOptions> options) =>
        OcpiResult.Ok(Ours(http.Request, urls, options.Value, OcpiCaller.Of(http).Token));

    private static Task<OcpiResult> Register(HttpContext http, OcpiUrls urls, IOptions<ChargingOptions> options, PartnerStore partners, OcpiPeerClient peers) =>
        OcpiCaller.Of(http).Registered
            ? Task.FromResult(OcpiResult.MethodNotAllowed("Already registered: use PUT to update the credentials."))
            : StoreAsync(http, urls, options.Value, partners, peers);

    private static Task<OcpiResult> Update(HttpContext http, OcpiUrls urls, IOptions<ChargingOptions> options, PartnerStore partners, OcpiPeerClient peers) =>
        OcpiCaller.Of(http).Registered
            ? StoreAsync(http, urls, options.Value, partners, peers)
            : Task.FromResult(OcpiResult.MethodNotAllowed("Not registered: use POST to register."));

    private static async Task<OcpiResult> Unregister(HttpContext http, PartnerStore partners)
    {
        var caller = OcpiCaller.Of(http);
        if (!caller.Registered)
        {
            return OcpiResult.MethodNotAllowed("Not registered.");
        }
        await partners.UnregisterAsync(caller.Partner.Id, http.RequestAborted);
        return OcpiResult.Ok(null);
    }

    private static async Task<OcpiResult> StoreAsync(HttpContext http, OcpiUrls urls, ChargingOptions options, PartnerStore partners, OcpiPeerClient peers)
    {
        var (body, error) = await OcpiBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (error is not null || body is null)
        {
            return error ?? OcpiResult.Invalid("No body.");
        }
        var tokenB = body.Text("token");
        var url = body.Text("url");
        var role = (body["roles"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => r.Text("role") == "CPO");
        if (tokenB is null || tokenB.Length > 64 || !tokenB.All(c => c is > ' ' and < '\u007f') || url is null || role is null)
        {
            return OcpiResult.Invalid("Credentials need a token (printable ASCII, at most 64 characters), a url and a role CPO.");
        }
        var countryCode = role.Text("country_code")?.ToUpperInvariant();
        var partyId = role.Text("party_id")?.ToUpperInvariant();
        if (countryCode is null || !CountryCode().IsMatch(countryCode) || partyId is null || !PartyId().IsMatch(partyId) || role["business_details"] is not JsonObject)
        {
            return OcpiResult.Invalid("The CPO role needs country_code (2 letters), party_id (3 letters or digits) and business_details.");
        }
        var caller = OcpiCaller.Of(http);
        if (await partners.PartyTakenAsync(caller.Partner.Id, countryCode, partyId, http.RequestAborted))
        {
            return OcpiResult.Invalid($"The party {countryCode} {partyId} is registered by another partner.");
        }
        var discovery = await peers.DiscoverAsync(url, tokenB, http.RequestAborted);
        if (discovery.Endpoints is null)
        {
            return OcpiResult.Refused(discovery.StatusCode, discovery.Message);
        }
        var tokenC = await partners.RegisterAsync(caller.Partner.Id, tokenB, url, countryCode, partyId, discovery.Endpoints, http.RequestAborted);
        return OcpiResult.Ok(Ours(http.Request, urls, options, tokenC));
    }

    private static object Ours(HttpRequest request, OcpiUrls urls, ChargingOptions options, string token) => new
    {
        token,
        url = urls.Versions(request),
        roles = new[]
        {
            new { role = "EMSP", business_details = new { name = options.BusinessName }, party_id = options.PartyId, country_code = options.CountryCode },
        },
    };

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();

    [GeneratedRegex("^[A-Z0-9]{3}$")]
    private static partial Regex PartyId();
}
