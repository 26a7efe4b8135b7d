using System.Security.Claims;

namespace Pitwall.Server.Hosting.Auth;

/// <summary>The claims a Pitwall principal carries, and typed access to them.</summary>
public static class PitwallClaims
{
    public const string AccountId = "sub";
    public const string Role = "role";
    public const string Scope = "scope";
    public const string SessionId = "sid";

    /// <summary>On a third-party app's token: one claim per car the owner consented to, <c>VIN scope scope…</c>. A token with
    /// <see cref="Consented"/> reaches only these cars, each with only its scopes.</summary>
    public const string ConsentedVehicle = "consented_vehicle";

    /// <summary>Marks a token limited to the owner's consent (a third-party app's), even when no car is left in it.</summary>
    public const string Consented = "consented";

    /// <summary>On a third-party app's token: the app's client id.</summary>
    public const string ClientId = "client_id";

    /// <summary>The policy of the endpoints a third-party app calls about its own grant (<c>/api/v1/app/…</c>): a token
    /// limited to an owner's consent.</summary>
    public const string ThirdPartyAppPolicy = "third_party_app";

    public static string AccountIdOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(AccountId) ?? throw new InvalidOperationException("The request is not authenticated.");

    public static string SessionIdOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(SessionId) ?? throw new InvalidOperationException("The request is not authenticated.");

    /// <summary>The cars a third-party app's token may reach, each with its scopes; null for a token without such a limit.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>>? ConsentedVehiclesOf(this ClaimsPrincipal user) =>
        !user.HasClaim(c => c.Type == Consented)
            ? null
            : user.FindAll(ConsentedVehicle).Select(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length > 0)
                .ToDictionary(p => p[0], p => (IReadOnlySet<string>)p.Skip(1).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
}
