namespace Pitwall.Server.Features.Accounts;

/// <summary>A postal address; the country is an ISO 3166-1 alpha-2 code.</summary>
public sealed record PostalAddress(string Street, string PostalCode, string City, string Country);

internal sealed record RegisterRequest(
    string? Email,
    string? Password,
    string? Name,
    IReadOnlyList<string>? PhoneNumbers,
    PostalAddress? Address,
    string? Locale);

/// <summary>Fields left out (null) stay as they are.</summary>
/// <param name="TimeZone">An IANA time zone (e.g. Europe/Berlin) for the times the portal shows; empty: the browser's; null: unchanged.</param>
internal sealed record UpdateAccountRequest(string? Name, IReadOnlyList<string>? PhoneNumbers, PostalAddress? Address, string? Locale, string? TimeZone = null);

internal sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

internal sealed record AccountResponse(
    string Id,
    string Email,
    string Name,
    IReadOnlyList<string> PhoneNumbers,
    PostalAddress? Address,
    string Locale,
    string Role,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? TimeZone)
{
    public static AccountResponse From(Account account) => new(
        account.Id, account.Email, account.Name, account.PhoneNumbers, account.Address, account.Locale, account.Role,
        account.CreatedAt, account.UpdatedAt, account.TimeZone);
}

/// <summary>RFC 6749 §5.1 success answer of the token endpoint (snake_case on the wire, as the RFC says).</summary>
public sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
    [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string RefreshToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope);

/// <summary>RFC 6749 §5.2 error answer of the token endpoint.</summary>
public sealed record OAuthError(
    [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
    [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string? ErrorDescription);

/// <summary>The form fields of <c>POST /api/v1/auth/token</c>, for the OpenAPI document.</summary>
internal sealed record TokenForm(
    [property: System.Text.Json.Serialization.JsonPropertyName("grant_type")] string GrantType,
    [property: System.Text.Json.Serialization.JsonPropertyName("username")] string? Username,
    [property: System.Text.Json.Serialization.JsonPropertyName("password")] string? Password,
    [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string? Scope);

/// <summary>The form fields of <c>POST /api/v1/auth/revoke</c> (RFC 7009).</summary>
internal sealed record RevokeForm(
    [property: System.Text.Json.Serialization.JsonPropertyName("token")] string Token,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type_hint")] string? TokenTypeHint);
