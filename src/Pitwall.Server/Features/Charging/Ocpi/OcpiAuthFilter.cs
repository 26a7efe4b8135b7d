using System.Text;
using Microsoft.Extensions.Primitives;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>The partner an OCPI request came from, and whether it used its token C (registered) or its registration token A.</summary>
internal sealed record OcpiCaller(Partner Partner, bool Registered, string Token)
{
    public static OcpiCaller Of(HttpContext http) => (OcpiCaller)http.Items[typeof(OcpiCaller)]!;

    /// <summary>Whether the party in a module's URL is the caller's own: a partner reaches only its own objects.</summary>
    public bool Owns(string countryCode, string partyId) =>
        string.Equals(Partner.CountryCode, countryCode, StringComparison.OrdinalIgnoreCase) && string.Equals(Partner.PartyId, partyId, StringComparison.OrdinalIgnoreCase);

    /// <summary>The answer to a URL naming another party: as if it did not exist.</summary>
    public static OcpiResult NotYours() => OcpiResult.NotFound(OcpiStatus.ClientError, "Not a party you registered as.");
}

/// <summary>
/// Every OCPI call: echoes <c>X-Request-ID</c> and <c>X-Correlation-ID</c> (making them up when the partner sent none), and
/// authenticates <c>Authorization: Token &lt;base64 of the credentials token&gt;</c>. A missing or unknown token is answered with
/// HTTP 401; the registration token A opens only the versions and credentials modules (<paramref name="registrationAllowed"/>).
/// Many 2.1.1 and 2.2 peers send the token without Base64: a value that is not Base64 of a printable token is tried as it is.
/// </summary>
internal sealed class OcpiAuthFilter(bool registrationAllowed) : IEndpointFilter
{
    public const string RequestIdHeader = "X-Request-ID";
    public const string CorrelationIdHeader = "X-Correlation-ID";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        Echo(http, RequestIdHeader);
        Echo(http, CorrelationIdHeader);
        var candidates = Candidates(http.Request.Headers.Authorization);
        if (candidates.Count == 0)
        {
            return OcpiResult.Unauthorized("Send Authorization: Token <base64 of your credentials token>.");
        }
        var partners = http.RequestServices.GetRequiredService<PartnerStore>();
        if (await partners.FindByTokenAsync(candidates, http.RequestAborted) is not var (partner, registered))
        {
            return OcpiResult.Unauthorized("Unknown token.");
        }
        if (!registered && !registrationAllowed)
        {
            return OcpiResult.Unauthorized("The registration token opens only versions and credentials: register first.");
        }
        http.Items[typeof(OcpiCaller)] = new OcpiCaller(partner, registered, candidates[0]);
        return await next(context);
    }

    private static void Echo(HttpContext http, string header)
    {
        var value = http.Request.Headers[header].ToString();
        http.Response.Headers[header] = value.Length is > 0 and <= 64 ? value : Guid.NewGuid().ToString();
    }

    /// <summary>The tokens the header may stand for: the Base64-decoded value first (OCPI 2.2.1), then the value as sent.</summary>
    internal static List<string> Candidates(StringValues authorization)
    {
        var header = authorization.ToString();
        if (!header.StartsWith("Token ", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        var value = header[6..].Trim();
        if (value.Length is 0 or > 256)
        {
            return [];
        }
        var tokens = new List<string>(2);
        var buffer = new byte[value.Length];
        if (Convert.TryFromBase64String(value, buffer, out var written) && written > 0)
        {
            try
            {
                var decoded = new UTF8Encoding(false, true).GetString(buffer, 0, written);
                if (decoded.All(c => c is > ' ' and < '\u007f'))
                {
                    tokens.Add(decoded);
                }
            }
            catch (ArgumentException)
            {
                // not UTF-8: a raw token that happens to be Base64 alphabet
            }
        }
        tokens.Add(value);
        return tokens;
    }
}
