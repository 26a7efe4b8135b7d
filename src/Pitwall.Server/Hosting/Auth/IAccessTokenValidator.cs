namespace Pitwall.Server.Hosting.Auth;

/// <summary>Looks up a bearer access token; implemented by the accounts feature, which owns the token tables.</summary>
public interface IAccessTokenValidator
{
    /// <returns>Who the token speaks for, or null when it is unknown, expired or revoked.</returns>
    Task<AccessTokenIdentity?> ValidateAsync(string accessToken, CancellationToken cancellationToken);

    /// <summary>Whether a sign-in session is neither revoked nor expired (the portal's cookie rides on one).</summary>
    Task<bool> IsSessionLiveAsync(string sessionId, CancellationToken cancellationToken);
}

public sealed record AccessTokenIdentity(string AccountId, string Role, string SessionId, IReadOnlyList<string> Scopes)
{
    /// <summary>The OAuth client the token was issued to; null for the password grant's tokens.</summary>
    public string? ClientId { get; init; }

    /// <summary>A third-party app's token: the cars the owner consented to, each with its scopes (nothing else is reachable);
    /// null for tokens without such a limit (the first-party app, the portal, partners).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? ConsentedVehicles { get; init; }

    /// <summary>
    /// The request principal, built once and shared by every request bearing this token while the validator keeps this
    /// identity (a request's claims built anew were ≈ 2.5 KB of garbage each at 1 000 commands/s, bench/README.md §3,
    /// seventeenth session). Nothing changes a bearer principal after authentication.
    /// </summary>
    internal System.Security.Claims.ClaimsPrincipal Principal => _principal ??= BearerTokenHandler.PrincipalOf(this);

    private System.Security.Claims.ClaimsPrincipal? _principal;

    /// <summary>Two identities that grant the same (the principal aside, which follows from the rest).</summary>
    internal static IEqualityComparer<AccessTokenIdentity> SameGrant { get; } = new SameGrantComparer();

    private sealed class SameGrantComparer : IEqualityComparer<AccessTokenIdentity>
    {
        public bool Equals(AccessTokenIdentity? x, AccessTokenIdentity? y) =>
            x is not null && y is not null && x.AccountId == y.AccountId && x.Role == y.Role && x.SessionId == y.SessionId &&
            x.ClientId == y.ClientId && x.Scopes.SequenceEqual(y.Scopes) && ReferenceEquals(x.ConsentedVehicles, y.ConsentedVehicles);

        public int GetHashCode(AccessTokenIdentity obj) => obj.SessionId.GetHashCode();
    }
}
