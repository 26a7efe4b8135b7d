using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Hosting.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer …</c> with Pitwall's opaque access tokens. Tokens are references into the
/// database, so revoking a session ends its access tokens at once on every instance.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccessTokenValidator validator,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string FailureKey = "pitwall.bearer.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            Context.Items[FailureKey] = true;
            return AuthenticateResult.Fail("The Authorization header is not a bearer token.");
        }
        var identity = await validator.ValidateAsync(header[7..].Trim(), Context.RequestAborted);
        if (identity is null)
        {
            Context.Items[FailureKey] = true;
            return AuthenticateResult.Fail("The access token is unknown, expired or revoked.");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(identity.Principal, SchemeName));
    }

    /// <summary>The request principal of a bearer's identity (see <see cref="AccessTokenIdentity.Principal"/>).</summary>
    internal static ClaimsPrincipal PrincipalOf(AccessTokenIdentity identity)
    {
        var claims = new List<Claim>
        {
            new(PitwallClaims.AccountId, identity.AccountId),
            new(PitwallClaims.Role, identity.Role),
            new(PitwallClaims.SessionId, identity.SessionId),
        };
        claims.AddRange(identity.Scopes.Select(s => new Claim(PitwallClaims.Scope, s)));
        if (identity.ConsentedVehicles is { } consented)
        {
            claims.Add(new Claim(PitwallClaims.Consented, "true"));
            if (identity.ClientId is { } clientId)
            {
                claims.Add(new Claim(PitwallClaims.ClientId, clientId));
            }
            claims.AddRange(consented.Select(v => new Claim(PitwallClaims.ConsentedVehicle, string.Join(' ', [v.Key, .. v.Value]))));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, PitwallClaims.AccountId, PitwallClaims.Role));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var invalid = Context.Items.ContainsKey(FailureKey);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750 §3: tell the client whether the token was missing or bad.
        Response.Headers.WWWAuthenticate = invalid ? "Bearer error=\"invalid_token\"" : "Bearer";
        var code = invalid ? ErrorCodes.InvalidToken : ErrorCodes.Unauthorized;
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, code,
            invalid ? "The access token is unknown, expired or revoked." : "This operation needs a bearer access token.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
        await WriteProblemAsync(StatusCodes.Status403Forbidden, ErrorCodes.InsufficientScope,
            "The access token does not carry the scope this operation needs.");
    }

    private Task WriteProblemAsync(int status, string code, string title) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = ApiProblems.Details(status, code, title),
        }).AsTask();
}
