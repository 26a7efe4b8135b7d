using OpenIddict.Abstractions;
using OpenIddict.Validation;
using Pitwall.Server.Hosting.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>Checks an access token the OpenID Connect provider issued (a reference token: looked up with its authorization on
/// every request, so a revoked token or consent ends at once) and says whom it speaks for.</summary>
internal sealed class OidcAccessTokenValidator(IServiceScopeFactory scopes, AppConsents consents)
{
    /// <summary>The session id of a token of the provider: its authorization (the family of one sign-in or consent).</summary>
    public const string SessionPrefix = "oidc:";

    public async Task<AccessTokenIdentity?> ValidateAsync(string accessToken, CancellationToken cancellationToken)
    {
        if (accessToken.Length > 200)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var validation = scope.ServiceProvider.GetRequiredService<OpenIddictValidationService>();
        System.Security.Claims.ClaimsPrincipal principal;
        try
        {
            principal = await validation.ValidateAccessTokenAsync(accessToken, cancellationToken);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return null;
        }
        var subject = principal.GetClaim(Claims.Subject);
        var role = principal.GetClaim(PitwallClaims.Role);
        if (subject is null || role is null)
        {
            return null;
        }
        IReadOnlyDictionary<string, IReadOnlyList<string>>? consented = null;
        if (principal.HasClaim(c => c.Type == PitwallClaims.Consented))
        {
            // A third-party app's token: the owner's consent, read now, says which cars it reaches with which scopes.
            var tokenScopes = principal.GetScopes();
            if (principal.GetAuthorizationId() is not { } consentId || await consents.VehiclesOfAsync(consentId, cancellationToken) is not { } vehicles)
            {
                return null;
            }
            consented = vehicles.ToDictionary(v => v.Key, v => (IReadOnlyList<string>)[.. v.Value.Where(tokenScopes.Contains)], StringComparer.Ordinal);
        }
        return new AccessTokenIdentity(subject, role, SessionPrefix + (principal.GetAuthorizationId() ?? principal.GetTokenId()),
            [.. principal.GetScopes()])
        {
            ClientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault(), ConsentedVehicles = consented,
        };
    }
}
