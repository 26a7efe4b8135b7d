using Pitwall.Server.Features.Accounts.OpenIdConnect;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts;

/// <summary>The bearer handler's one question, answered for both kinds of access token: the password grant's own
/// (<see cref="Tokens.AccessPrefix"/>) and the OpenID Connect provider's reference tokens.</summary>
internal sealed class AccessTokenValidator(TokenStore sessions, OidcAccessTokenValidator provider) : IAccessTokenValidator
{
    public Task<AccessTokenIdentity?> ValidateAsync(string accessToken, CancellationToken cancellationToken) =>
        accessToken.StartsWith(Tokens.AccessPrefix, StringComparison.Ordinal)
            ? sessions.ValidateAsync(accessToken, cancellationToken)
            : provider.ValidateAsync(accessToken, cancellationToken);

    public Task<bool> IsSessionLiveAsync(string sessionId, CancellationToken cancellationToken) =>
        sessions.IsSessionLiveAsync(sessionId, cancellationToken);
}
