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
    /// <summary>The IANA time zone the account chose for the times it is shown (e.g. <c>Europe/Berlin</c>); null: the browser's.</summary>
    public string? TimeZone { get; init; }

    /// <summary>When an administrator disabled the account (it cannot sign in until enabled again); null while it is active.</summary>
    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>E-mail addresses are unique regardless of case.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    /// <summary>The country the account belongs to (ISO 3166-1 alpha-2): its postal address's, else the region of its locale
    /// (<c>de-AT</c> → <c>AT</c>); null when it names neither. It decides the market whose notices apply to the account.</summary>
    public string? Country => Address?.Country is { Length: 2 } country ? country : Locale is [_, _, '-', _, _] ? Locale[3..] : null;
}
