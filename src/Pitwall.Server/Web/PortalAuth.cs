using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Accounts.SecondFactor;
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

    /// <summary>Between the password and the second factor (or its enrolment): a short-lived cookie that names the account and
    /// reaches only <c>/signin/verify</c> and <c>/account/second-factor</c>, never a page or the provider.</summary>
    public const string PendingScheme = "PortalPending";

    /// <summary>What the pending cookie is for: <see cref="PendingVerify"/> or <see cref="PendingEnrol"/>.</summary>
    public const string PendingClaim = "pitwall:pending";
    public const string PendingVerify = "verify";
    public const string PendingEnrol = "enrol";

    /// <summary>On a session cookie whose sign-in passed a second factor ("totp").</summary>
    public const string SecondFactorClaim = "pitwall:second_factor";
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
            var role = context.Principal?.FindFirst(PitwallClaims.Role)?.Value ?? "";
            var factors = context.HttpContext.RequestServices.GetRequiredService<SecondFactors>();
            // A staff cookie without a second factor (made before the rule, or with the rule off) signs in again.
            if (session is null || !await validator.IsSessionLiveAsync(session, context.HttpContext.RequestAborted)
                || (factors.IsRequired(role) && context.Principal?.HasClaim(c => c.Type == SecondFactorClaim) != true))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(Scheme);
            }
        };
    }

    public static void ConfigurePending(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "pitwall.signin";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/signin";
        options.AccessDeniedPath = "/signin";
        options.ExpireTimeSpan = TimeSpan.FromMinutes(10);
        options.SlidingExpiration = false;
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

    /// <summary>The password step of the portal's sign-in (lock-out and security log as for the apps): a session principal, or a
    /// pending one that must pass (or enrol) a second factor first, or an error.</summary>
    internal static async Task<PortalSignIn> PasswordStepAsync(
        string email, string password, SignInService signIn, SecondFactors factors, IAccessTokenValidator validator, CancellationToken cancellationToken)
    {
        var check = await signIn.CheckPasswordAsync(email, password, cancellationToken);
        if (check.Account is not { } account)
        {
            return new(null, null, check.Failure?.Error?.ErrorDescription ?? "Signing in failed.");
        }
        if ((await factors.StatusAsync(account.Id, cancellationToken)).Enrolled)
        {
            return new(null, Pending(account, PendingVerify), null);
        }
        if (factors.IsRequired(account.Role))
        {
            return new(null, Pending(account, PendingEnrol), null);
        }
        var session = await SessionAsync(check, secondFactor: false, signIn, validator, cancellationToken);
        return session is null ? new(null, null, "Signing in failed.") : new(session, null, null);
    }

    /// <summary>Starts a session for a checked account and makes the portal's principal of it.</summary>
    internal static async Task<ClaimsPrincipal?> SessionAsync(
        PasswordCheck check, bool secondFactor, SignInService signIn, IAccessTokenValidator validator, CancellationToken cancellationToken)
    {
        var result = await signIn.StartSessionAsync(check, null, cancellationToken);
        if (result.Tokens is null || await validator.ValidateAsync(result.Tokens.AccessToken, cancellationToken) is not { } identity)
        {
            return null;
        }
        var account = check.Account!;
        var claims = new List<Claim>
        {
            new(PitwallClaims.AccountId, identity.AccountId),
            new(PitwallClaims.Role, identity.Role),
            new(PitwallClaims.SessionId, identity.SessionId),
            new(ClaimTypes.Name, account.Name),
            new(LocaleClaim, account.Locale),
            new(TimeZoneClaim, account.TimeZone ?? ""),
        };
        if (secondFactor)
        {
            claims.Add(new(SecondFactorClaim, "totp"));
        }
        claims.AddRange(identity.Scopes.Select(s => new Claim(PitwallClaims.Scope, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, PitwallClaims.AccountId, PitwallClaims.Role));
    }

    /// <summary>Sets the session cookie (and ends the pending one), the account's language and time zone; returns where to go.</summary>
    internal static async Task<string> CompleteAsync(HttpContext context, ClaimsPrincipal principal, string? returnUrl, IUrlHelper url)
    {
        await context.SignInAsync(Scheme, principal);
        await context.SignOutAsync(PendingScheme);
        Pages.CultureModel.SetCulture(context.Response, principal.FindFirst(LocaleClaim)?.Value);
        PortalTime.Choose(context.Response, principal.FindFirst(TimeZoneClaim)?.Value);
        return url.IsLocalUrl(returnUrl) ? returnUrl : HomeOf(principal);
    }

    /// <summary>The account a pending cookie names, and what for; null without one.</summary>
    internal static async Task<(string AccountId, string Purpose)?> PendingAsync(HttpContext context)
    {
        var pending = await context.AuthenticateAsync(PendingScheme);
        return pending.Succeeded && pending.Principal.FindFirst(PitwallClaims.AccountId)?.Value is { } id
            && pending.Principal.FindFirst(PendingClaim)?.Value is { } purpose ? (id, purpose) : null;
    }

    private static ClaimsPrincipal Pending(Account account, string purpose) =>
        new(new ClaimsIdentity([new(PitwallClaims.AccountId, account.Id), new(PendingClaim, purpose)], PendingScheme));
}

/// <summary>The password step's outcome: a session, or a pending second factor, or an error.</summary>
internal sealed record PortalSignIn(ClaimsPrincipal? Session, ClaimsPrincipal? Pending, string? Error);
