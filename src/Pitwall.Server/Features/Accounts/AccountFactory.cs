using Microsoft.AspNetCore.Identity;

namespace Pitwall.Server.Features.Accounts;

public static class AccountFactory
{
    public const string DefaultLocale = "en";

    public static Account New(
        string email, string password, string name, string role, IPasswordHasher<Account> hasher, TimeProvider time,
        IReadOnlyList<string>? phoneNumbers = null, PostalAddress? address = null, string? locale = null)
    {
        var now = time.GetUtcNow();
        var account = new Account(Guid.CreateVersion7(now).ToString(), email.Trim(), "", name.Trim(), phoneNumbers ?? [], address,
            locale ?? DefaultLocale, role, now, now);
        return account with { PasswordHash = hasher.HashPassword(account, password) };
    }
}
