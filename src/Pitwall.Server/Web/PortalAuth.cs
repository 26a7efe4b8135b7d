using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web;

/// <summary>
/// The portal's sign-in: a cookie (HttpOnly, SameSite=Lax, encrypted by ASP.NET data protection) riding on an ordinary
/// sign-in session, so lock-out, the security log, "sign out everywhere" and password changes apply to it as to the
/// apps. The API never accepts the cookie: it stays bearer-only, and cross-site requests cannot use the portal's session.
/// </summary>
public static class PortalAuth
{
    public const string Scheme = "Portal";
    public const string Policy = "portal";
    public const string AdminPolicy = "portal-admin";

    /// <summary>The security centre's console (<c>/soc</c>): the soc_operator role's scopes read_soc and control_soc.</summary>
    public const string SocPolicy = "portal-soc";

    /// <summary>The authority's view (<c>/authority</c>): the authority role's scope read_authority.</summary>
    public const string AuthorityPolicy = "portal-authority";

    /// <summary>The dealer console (<c>/dealer</c>): the dealer role's scope control_dealer.</summary>
    public const string DealerPolicy = "portal-dealer";

    /// <summary>The assistance centre's console (<c>/assistance</c>): the assistance_agent role's scopes read_ and control_assistance.</summary>
    public const string AssistancePolicy = "portal-assistance";
    public const string LocaleClaim = "pitwall:locale";
    public const string TimeZoneClaim = "pitwall:time_zone";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "pitwall.portal";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/signin";
        options.LogoutPath = "/signout";
        options.AccessDeniedPath = "/error/403";
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        // A session signed out elsewhere (or by a password change) ends the cookie too.
        options.Events.OnValidatePrincipal = async context =>
        {
            var session = context.Principal?.FindFirst(PitwallClaims.SessionId)?.Value;
            var validator = context.HttpContext.RequestServices.GetRequiredService<IAccessTokenValidator>();
            if (session is null || !await validator.IsSessionLiveAsync(session, context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(Scheme);
            }
        };
    }

    /// <summary>Where a user lands after signing in: the console of an operator's role, else their vehicles.</summary>
    public static string HomeOf(ClaimsPrincipal user) =>
        user.HasClaim(PitwallClaims.Scope, Scopes.ControlSoc) ? "/soc"
        : user.HasClaim(PitwallClaims.Scope, Scopes.ReadAuthority) ? "/authority"
        : user.HasClaim(PitwallClaims.Scope, Scopes.ControlDealer) ? "/dealer"
        : user.HasClaim(PitwallClaims.Scope, Scopes.ControlAssistance) ? "/assistance"
        : user.HasClaim(PitwallClaims.Scope, Scopes.ControlAdmin) ? "/admin"
        : "/vehicles";

    /// <summary>Owners and drivers have cars of their own; staff work on others' and see no "My vehicles".</summary>
    public static bool HasOwnVehicles(ClaimsPrincipal user) => user.FindFirst(PitwallClaims.Role)?.Value is Roles.Owner or Roles.Driver;

    /// <summary>Checks the password (with the API's lock-out and security log) and starts a session; null when refused.</summary>
    public static async Task<(ClaimsPrincipal? Principal, string? Error)> SignInAsync(
        string email, string password, SignInService signIn, IAccessTokenValidator validator, AccountStore accounts, CancellationToken cancellationToken)
    {
        var result = await signIn.PasswordGrantAsync(email, password, null, cancellationToken);
        if (result.Tokens is null || await validator.ValidateAsync(result.Tokens.AccessToken, cancellationToken) is not { } identity)
        {
            return (null, result.Error?.ErrorDescription ?? "Signing in failed.");
        }
        var account = await accounts.FindAsync(identity.AccountId, cancellationToken);
        var claims = new List<Claim>
        {
            new(PitwallClaims.AccountId, identity.AccountId),
            new(PitwallClaims.Role, identity.Role),
            new(PitwallClaims.SessionId, identity.SessionId),
            new(ClaimTypes.Name, account?.Name ?? ""),
            new(LocaleClaim, account?.Locale ?? "en"),
            new(TimeZoneClaim, account?.TimeZone ?? ""),
        };
        claims.AddRange(identity.Scopes.Select(s => new Claim(PitwallClaims.Scope, s)));
        return (new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, PitwallClaims.AccountId, PitwallClaims.Role)), null);
    }
}
