using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts;

/// <summary><c>/api/v1/me</c>: the signed-in account's own profile.</summary>
internal static class MeEndpoints
{
    public static void MapMeEndpoints(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("/api/v1/me").WithTags("Account");
        me.MapGet("/", Get).RequireAuthorization(Scopes.ReadAccount).WithSummary("The signed-in account.");
        me.MapPatch("/", Update).RequireAuthorization(Scopes.ControlAccount).WithSummary("Change name, phone numbers, address or locale.");
        me.MapPost("/password", ChangePassword).RequireAuthorization(Scopes.ControlAccount)
            .WithSummary("Change the password; every other sign-in session ends.");
    }

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Get(
        ClaimsPrincipal user, AccountStore accounts, CancellationToken cancellationToken) =>
        await accounts.FindAsync(user.AccountIdOf(), cancellationToken) is { } account
            ? TypedResults.Ok(AccountResponse.From(account))
            : ApiProblems.NotFound("The account");

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> Update(
        UpdateAccountRequest request, ClaimsPrincipal user, AccountStore accounts, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Name is not null)
        {
            AccountValidation.Name(request.Name, errors);
        }
        AccountValidation.PhoneNumbers(request.PhoneNumbers, errors);
        AccountValidation.Address(request.Address, errors);
        AccountValidation.Locale(request.Locale, errors);
        AccountValidation.TimeZone(request.TimeZone, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        if (await accounts.FindAsync(user.AccountIdOf(), cancellationToken) is not { } account)
        {
            return ApiProblems.NotFound("The account");
        }
        var updated = account with
        {
            Name = request.Name?.Trim() ?? account.Name,
            PhoneNumbers = request.PhoneNumbers ?? account.PhoneNumbers,
            Address = request.Address ?? account.Address,
            Locale = request.Locale ?? account.Locale,
            TimeZone = request.TimeZone is null ? account.TimeZone : request.TimeZone.Length == 0 ? null : request.TimeZone,
            UpdatedAt = time.GetUtcNow(),
        };
        await accounts.UpdateProfileAsync(updated, cancellationToken);
        return TypedResults.Ok(AccountResponse.From(updated));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal user, AccountStore accounts, SignInService signIn, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        AccountValidation.Password(request.NewPassword, errors, "newPassword");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        if (await accounts.FindAsync(user.AccountIdOf(), cancellationToken) is not { } account)
        {
            return ApiProblems.NotFound("The account");
        }
        if (request.CurrentPassword is null || !signIn.VerifyPassword(account, request.CurrentPassword))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, AccountErrorCodes.WrongPassword, "The current password is wrong.");
        }
        await signIn.SetPasswordAsync(account, request.NewPassword!, user.SessionIdOf(), cancellationToken);
        return TypedResults.NoContent();
    }
}
