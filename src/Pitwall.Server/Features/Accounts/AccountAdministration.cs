using Microsoft.AspNetCore.Identity;

namespace Pitwall.Server.Features.Accounts;

/// <summary>What an administrator does to accounts from the command line (and, later, the admin pages).</summary>
public sealed class AccountAdministration(AccountStore accounts, SignInService signIn, IPasswordHasher<Account> hasher, TimeProvider time, SecondFactor.SecondFactors secondFactors)
{
    public async Task<AdminResult> CreateUserAsync(string email, string name, string role, string password, CancellationToken cancellationToken)
    {
        var errors = new Hosting.ValidationErrors();
        AccountValidation.Email(email, errors);
        AccountValidation.Name(name, errors);
        AccountValidation.Password(password, errors);
        if (!Hosting.Auth.Roles.IsKnown(role))
        {
            errors.Add("role", $"The role is one of: {string.Join(", ", Hosting.Auth.Roles.All)}.");
        }
        if (errors.Any)
        {
            return AdminResult.Fail(string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)));
        }
        var account = AccountFactory.New(email, password, name, role, hasher, time);
        return await accounts.TryInsertAsync(account, cancellationToken)
            ? AdminResult.Ok(account.Id)
            : AdminResult.Fail("An account with this e-mail address exists.");
    }

    /// <summary>Sets a new password, lifts a lock-out and signs every session out.</summary>
    public async Task<AdminResult> ResetPasswordAsync(string email, string password, CancellationToken cancellationToken)
    {
        var errors = new Hosting.ValidationErrors();
        AccountValidation.Password(password, errors);
        if (errors.Any)
        {
            return AdminResult.Fail(string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)));
        }
        if (await accounts.FindByEmailAsync(email, cancellationToken) is not { } account)
        {
            return AdminResult.Fail("No account has this e-mail address.");
        }
        await signIn.SetPasswordAsync(account, password, keepSessionId: null, cancellationToken);
        return AdminResult.Ok(account.Id);
    }

    /// <summary>Removes a lost second factor and its recovery codes and signs every session out: the person enrols a new authenticator
    /// app at the next sign-in (staff must). Written to the security log.</summary>
    public async Task<AdminResult> ResetSecondFactorAsync(string email, CancellationToken cancellationToken)
    {
        if (await accounts.FindByEmailAsync(email, cancellationToken) is not { } account)
        {
            return AdminResult.Fail("No account has this e-mail address.");
        }
        return await secondFactors.ResetAsync(account.Id, cancellationToken)
            ? AdminResult.Ok(account.Id)
            : AdminResult.Fail("The account has no second factor.");
    }
}

public sealed record AdminResult(bool Succeeded, string? AccountId, string? Error)
{
    public static AdminResult Ok(string accountId) => new(true, accountId, null);

    public static AdminResult Fail(string error) => new(false, null, error);
}
