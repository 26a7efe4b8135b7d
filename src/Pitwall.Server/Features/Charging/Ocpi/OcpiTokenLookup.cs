using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>Which of Pitwall's tokens a session or CDR names in its <c>cdr_token</c>: one issued by Pitwall's party, known by uid and
/// type; null for any other (answered with 2004, unknown token).</summary>
internal sealed class OcpiTokenLookup(ChargingTokenStore tokens, IOptions<ChargingOptions> options)
{
    public async Task<ChargingToken?> FindAsync(JsonNode? cdrToken, CancellationToken cancellationToken)
    {
        if (cdrToken is not JsonObject token || token.Text("uid") is not { } uid || token.Text("type") is not { } type
            || !string.Equals(token.Text("country_code"), options.Value.CountryCode, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(token.Text("party_id"), options.Value.PartyId, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return await tokens.FindAsync(uid, type, cancellationToken);
    }
}
