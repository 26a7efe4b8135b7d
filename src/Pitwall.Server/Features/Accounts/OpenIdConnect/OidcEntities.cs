using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>A registered client as OpenIddict's stores see it; <c>oidc_applications</c> keeps it as one JSON body.</summary>
internal sealed class OidcApplication
{
    public string Id { get; set; } = "";
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? ClientType { get; set; }
    public string? ApplicationType { get; set; }
    public string? ConsentType { get; set; }
    public string? DisplayName { get; set; }
    public Dictionary<string, string> DisplayNames { get; set; } = [];
    public string? JsonWebKeySet { get; set; }
    public List<string> Permissions { get; set; } = [];
    public List<string> PostLogoutRedirectUris { get; set; } = [];
    public List<string> RedirectUris { get; set; } = [];
    public List<string> Requirements { get; set; } = [];
    public Dictionary<string, string> Settings { get; set; } = [];
    public Dictionary<string, JsonElement> Properties { get; set; } = [];
    public string ConcurrencyToken { get; set; } = Guid.NewGuid().ToString();
}

/// <summary>A grant of scopes by a subject (an account, or a partner client itself) to a client: an owner's consent to a
/// third-party app, or the grant behind one sign-in of the first-party app. Its tokens form one family.</summary>
internal sealed class OidcAuthorization
{
    public string Id { get; set; } = "";
    public string? ApplicationId { get; set; }
    public string? Subject { get; set; }
    public string? Status { get; set; }
    public string? Type { get; set; }
    public List<string> Scopes { get; set; } = [];
    public Dictionary<string, JsonElement> Properties { get; set; } = [];
    public DateTimeOffset? CreatedAt { get; set; }
    public string ConcurrencyToken { get; set; } = Guid.NewGuid().ToString();
}

/// <summary>An issued token (authorization code, refresh or access token); reference ids are stored hashed by OpenIddict.</summary>
internal sealed class OidcToken
{
    public string Id { get; set; } = "";
    public string? ApplicationId { get; set; }
    public string? AuthorizationId { get; set; }
    public string? Subject { get; set; }
    public string? Type { get; set; }
    public string? Status { get; set; }
    public string? ReferenceId { get; set; }
    public string? Payload { get; set; }
    public Dictionary<string, JsonElement> Properties { get; set; } = [];
    public DateTimeOffset? CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RedeemedAt { get; set; }
    public string ConcurrencyToken { get; set; } = Guid.NewGuid().ToString();
}

/// <summary>A scope: Pitwall's scopes are fixed in code (<see cref="Hosting.Auth.Scopes"/>), so the scope store is read-only.</summary>
internal sealed class OidcScope
{
    public string Name { get; set; } = "";
}

internal static class OidcJson
{
    public static string Write<T>(T value) => JsonSerializer.Serialize(value);

    public static T Read<T>(string? json) where T : new() => string.IsNullOrEmpty(json) ? new T() : JsonSerializer.Deserialize<T>(json) ?? new T();

    public static ImmutableDictionary<CultureInfo, string> Cultures(Dictionary<string, string> names) =>
        names.ToImmutableDictionary(p => CultureInfo.GetCultureInfo(p.Key), p => p.Value);

    public static long? Ms(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static ValueTask Set(Action set)
    {
        set();
        return ValueTask.CompletedTask;
    }

    public static DateTimeOffset? Time(long? ms) => ms is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms.Value);
}
