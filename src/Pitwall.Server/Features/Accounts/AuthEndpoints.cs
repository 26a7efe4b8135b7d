using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts;

/// <summary><c>/api/v1/auth</c>: the OAuth 2.0 token endpoint (RFC 6749), revocation (RFC 7009) and registration.</summary>
internal static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/v1/auth").WithTags("Authentication").RequireRateLimiting(RateLimits.Authentication).AllowAnonymous();
        auth.MapPost("/token", Token)
            .WithFormBody<TokenForm>("grant_type")
            .WithSummary("Refresh a legacy session (grant_type=refresh_token); apps sign in at /connect/token (OpenID Connect).")
            .WithDescription("Form-encoded as RFC 6749 says. Errors are RFC 6749 §5.2 objects such as {\"error\":\"invalid_grant\"}, not problem details.");
        auth.MapPost("/revoke", Revoke)
            .WithFormBody<RevokeForm>("token")
            .WithSummary("Revoke an access or refresh token (RFC 7009); this ends the sign-in session it belongs to.");
        auth.MapPost("/register", Register).WithSummary("Create an owner account.");
    }

    private static async Task<Results<Ok<TokenResponse>, BadRequest<OAuthError>>> Token(
        HttpContext context, SignInService signIn, IOptions<AccountOptions> options, CancellationToken cancellationToken)
    {
        // RFC 6749 §5.1: token answers must not be cached.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        var form = await ReadFormAsync(context.Request, cancellationToken);
        if (form.Error is not null)
        {
            return TypedResults.BadRequest(form.Error);
        }
        var result = form.Get("grant_type") switch
        {
            null => SignInResult.Fail("invalid_request", "grant_type is required."),
            "password" when !options.Value.PasswordGrant =>
                SignInResult.Fail("unsupported_grant_type", "The password grant is off; use the authorization code flow at /connect/authorize."),
            "password" when form.Get("username") is not { Length: > 0 } || form.Get("password") is not { Length: > 0 } =>
                SignInResult.Fail("invalid_request", "username and password are required."),
            "password" => await signIn.PasswordGrantAsync(form.Get("username")!, form.Get("password")!, form.Get("scope"), cancellationToken),
            "refresh_token" when form.Get("refresh_token") is not { Length: > 0 } =>
                SignInResult.Fail("invalid_request", "refresh_token is required."),
            "refresh_token" => await signIn.RefreshGrantAsync(form.Get("refresh_token")!, form.Get("scope"), cancellationToken),
            _ => SignInResult.Fail("unsupported_grant_type", "Supported grant type: refresh_token (and password where the operator allows it)."),
        };
        return result.Tokens is not null ? TypedResults.Ok(result.Tokens) : TypedResults.BadRequest(result.Error!);
    }

    private static async Task<Results<Ok, BadRequest<OAuthError>>> Revoke(HttpContext context, SignInService signIn, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(context.Request, cancellationToken);
        if (form.Error is not null)
        {
            return TypedResults.BadRequest(form.Error);
        }
        if (form.Get("token") is not { Length: > 0 } token)
        {
            return TypedResults.BadRequest(new OAuthError("invalid_request", "token is required."));
        }
        await signIn.RevokeAsync(token, cancellationToken);
        return TypedResults.Ok();
    }

    private static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, AccountStore accounts, IPasswordHasher<Account> hasher, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        AccountValidation.Email(request.Email, errors);
        AccountValidation.Password(request.Password, errors);
        AccountValidation.Name(request.Name, errors);
        AccountValidation.PhoneNumbers(request.PhoneNumbers, errors);
        AccountValidation.Address(request.Address, errors);
        AccountValidation.Locale(request.Locale, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        var account = AccountFactory.New(request.Email!, request.Password!, request.Name!, Roles.Owner, hasher, time,
            request.PhoneNumbers, request.Address, request.Locale);
        if (!await accounts.TryInsertAsync(account, cancellationToken))
        {
            return ApiProblems.Conflict(AccountErrorCodes.EmailTaken, "An account with this e-mail address exists.");
        }
        return TypedResults.Created("/api/v1/me", AccountResponse.From(account));
    }

    private sealed record OAuthForm(IFormCollection? Fields, OAuthError? Error)
    {
        public string? Get(string name) => Fields is not null && Fields.TryGetValue(name, out var value) ? value.ToString() : null;
    }

    private static async Task<OAuthForm> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return new(null, new OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded."));
        }
        IFormCollection fields;
        try
        {
            fields = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not BadHttpRequestException))
        {
            // A broken multipart body; an oversize one (BadHttpRequestException) still becomes a 413 problem.
            return new(null, new OAuthError("invalid_request", "The form body is malformed."));
        }
        // RFC 6749 §3.2: parameters must not repeat.
        return fields.Any(f => f.Value.Count > 1)
            ? new(null, new OAuthError("invalid_request", "A parameter is repeated."))
            : new(fields, null);
    }
}
