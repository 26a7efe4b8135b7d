using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Pitwall.Server.Hosting.Auth;
using Pitwall.Server.Web;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = Pitwall.Server.Hosting.Auth.Scopes;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>
/// The two provider endpoints that need Pitwall's decisions (OpenIddict answers discovery, JWKS, revocation and
/// introspection itself, and checks every request's client, PKCE, redirect URI and scopes before these run):
/// <c>/connect/authorize</c> signs the user in through the portal and <c>/connect/token</c> says whom a token speaks for.
/// </summary>
internal static class ProviderEndpoints
{
    /// <summary>The role of a partner back end's own tokens (client_credentials): no account stands behind them.</summary>
    public const string PartnerRole = "partner";

    public static void MapProviderEndpoints(this IEndpointRouteBuilder routes)
    {
        // Rate-limited before OpenIddict's own checks (OidcSetup: RateLimits.EarlyPaths), so not again here.
        var connect = routes.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        connect.MapMethods(OidcSetup.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], Authorize);
        connect.MapPost(OidcSetup.TokenPath, Token);
    }

    private static async Task<IResult> Authorize(HttpContext context, IOpenIddictApplicationManager applications,
        IOpenIddictAuthorizationManager authorizations, AccountStore accounts, AppConsents consents, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var portal = await context.AuthenticateAsync(PortalAuth.Scheme);
        var account = portal.Succeeded ? await accounts.FindAsync(portal.Principal.AccountIdOf(), cancellationToken) : null;
        if (account is null)
        {
            // Sign in at the portal (lock-out, the security log and its rate limit apply), then come back here.
            var back = context.Request.PathBase + context.Request.Path + RequestParameters(context);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = back }, [PortalAuth.Scheme]);
        }
        var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken)
            ?? throw new InvalidOperationException("OpenIddict checked the client before this handler.");
        if (!await applications.HasConsentTypeAsync(application, ConsentTypes.Implicit, cancellationToken))
        {
            return await ThirdPartyAuthorization.AuthorizeAsync(context, request, account, consents, cancellationToken);
        }
        var scopes = Scopes.Grant(account.Role, string.Join(' ', request.GetScopes().Where(s => s is not OpenIddictConstants.Scopes.OpenId and not OpenIddictConstants.Scopes.OfflineAccess)));
        if (scopes is null)
        {
            return Forbid(Errors.InvalidScope, "A requested scope is not allowed for this account.");
        }
        var identity = Identity(account.Id, account.Role, [.. scopes, .. request.GetScopes().Where(s => s is OpenIddictConstants.Scopes.OpenId or OpenIddictConstants.Scopes.OfflineAccess)]);
        var authorization = await authorizations.CreateAsync(new ClaimsPrincipal(identity), account.Id,
            (await applications.GetIdAsync(application, cancellationToken))!, AuthorizationTypes.AdHoc, identity.GetScopes(), cancellationToken);
        identity.SetAuthorizationId(await authorizations.GetIdAsync(authorization, cancellationToken));
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> Token(HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has checked the client's secret and that each requested scope is among its permissions.
            var partner = Identity(request.ClientId!, PartnerRole, request.GetScopes());
            return Results.SignIn(new ClaimsPrincipal(partner), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }
        // Authorization code or refresh token: OpenIddict has checked it (and PKCE); it carries the grant's principal.
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = result.Principal?.GetClaim(Claims.Subject);
        var account = subject is null ? null : await accounts.FindAsync(subject, cancellationToken);
        if (account is null)
        {
            return Forbid(Errors.InvalidGrant, "The account of this grant no longer exists.");
        }
        var identity = Identity(account.Id, account.Role, result.Principal!.GetScopes(), result.Principal!.HasClaim(c => c.Type == PitwallClaims.Consented));
        identity.SetAuthorizationId(result.Principal!.GetAuthorizationId());
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The authorization request's parameters (query or form) as a query string, e.g. to come back to it.</summary>
    public static QueryString RequestParameters(HttpContext context, string? without = null) => QueryString.Create(
        (context.Request.HasFormContentType ? context.Request.Form.Select(f => KeyValuePair.Create(f.Key, f.Value))
            : context.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value)))
        .Where(p => p.Key != without).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString())));

    /// <param name="consented">A third-party app's token: it reaches only the cars and scopes of the owner's consent.</param>
    public static ClaimsIdentity Identity(string subject, string role, IEnumerable<string> scopes, bool consented = false)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Subject, PitwallClaims.Role);
        identity.SetClaim(Claims.Subject, subject).SetClaim(PitwallClaims.Role, role);
        if (consented)
        {
            identity.SetClaim(PitwallClaims.Consented, "true");
        }
        identity.SetScopes(scopes);
        // The access token (a reference: never seen by the client) and the id token carry who and which role.
        identity.SetDestinations(claim => [Destinations.AccessToken, Destinations.IdentityToken]);
        return identity;
    }

    public static IResult Forbid(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
