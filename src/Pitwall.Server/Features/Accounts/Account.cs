namespace Pitwall.Server.Features.Accounts;

/// <summary>An owner's or staff member's account, the "ID" of REQUIREMENTS A1.</summary>
public sealed record Account(
    string Id,
    string Email,
    string PasswordHash,
    string Name,
    IReadOnlyList<string> PhoneNumbers,
    PostalAddress? Address,
    string Locale,
    string Role,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>E-mail addresses are unique regardless of case.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();
}
