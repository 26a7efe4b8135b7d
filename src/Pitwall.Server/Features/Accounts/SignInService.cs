using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts;

/// <summary>The OAuth 2.0 grants (password, refresh token) and revocation, with lock-out and the security log.</summary>
public sealed partial class SignInService(
    Database database,
    AccountStore accounts,
    IPasswordHasher<Account> hasher,
    IOptions<AccountOptions> options,
    TimeProvider time,
    ILogger<SignInService> logger)
{
    // Verified when the e-mail is unknown, so that both failures take the same time.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<Account>().HashPassword(null!, "not a password"));

    /// <summary>The API's password grant (off by default). It asks for no second factor, so an account that has one is refused it.</summary>
    public async Task<SignInResult> PasswordGrantAsync(string email, string password, string? scope, CancellationToken cancellationToken)
    {
        var check = await CheckPasswordAsync(email, password, cancellationToken);
        if (check.Account is not { } account)
        {
            return check.Failure!;
        }
        if (await database.ReadAsync(c => SecondFactor.SecondFactorStore.IsConfirmedAsync(c, null, account.Id), cancellationToken))
        {
            return SignInResult.Fail("invalid_grant", "This account signs in with a second factor; use the authorization code flow at /connect/authorize.");
        }
        return await StartSessionAsync(check, scope, cancellationToken);
    }

    /// <summary>
    /// The first step of a sign-in: the password, with the lock-out and the security log. A right password neither starts a session
    /// nor clears the failure count: <see cref="StartSessionAsync"/> does, after the second factor where there is one, so that
    /// wrong codes count toward the same lock-out.
    /// </summary>
    public async Task<PasswordCheck> CheckPasswordAsync(string email, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var account = await accounts.FindByEmailAsync(email, cancellationToken);
        // Hashing is slow on purpose; do it outside the write transaction.
        var verdict = hasher.VerifyHashedPassword(account!, account?.PasswordHash ?? DummyHash.Value, password);
        var passwordOk = account is not null && verdict != PasswordVerificationResult.Failed;
        var rehash = passwordOk && verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(account!, password) : null;

        return await database.WriteAsync(async (connection, transaction) =>
        {
            if (await LoginThrottle.IsLockedAsync(connection, transaction, email, now))
            {
                return PasswordCheck.Fail("invalid_grant", "Too many failed sign-ins for this e-mail address; try again later.");
            }
            if (!passwordOk)
            {
                var locked = await LoginThrottle.RecordFailureAsync(connection, transaction, email, now, settings);
                await SecurityLog.WriteAsync(connection, transaction, locked ? SecurityLog.LockedOut : SecurityLog.LoginFailed, account?.Id, now);
                return PasswordCheck.Fail("invalid_grant", "The e-mail address or password is wrong.");
            }
            if (account!.DisabledAt is not null)
            {
                await SecurityLog.WriteAsync(connection, transaction, SecurityLog.LoginFailed, account.Id, now);
                return PasswordCheck.Fail("invalid_grant", "This account is disabled; ask an administrator.");
            }
            return new PasswordCheck(account, rehash, null);
        }, cancellationToken);
    }

    /// <summary>The last step of a sign-in: clears the failure count and starts a session of the account's scopes.</summary>
    public Task<SignInResult> StartSessionAsync(PasswordCheck check, string? scope, CancellationToken cancellationToken)
    {
        var account = check.Account ?? throw new ArgumentException("The password was not right.", nameof(check));
        var now = time.GetUtcNow();
        var settings = options.Value;
        return database.WriteAsync<SignInResult>(async (connection, transaction) =>
        {
            var scopes = Scopes.Grant(account.Role, scope);
            if (scopes is null)
            {
                return SignInResult.Fail("invalid_scope", "A requested scope is unknown or not allowed for this account.");
            }
            await LoginThrottle.ClearAsync(connection, transaction, account.Email);
            if (check.Rehash is not null)
            {
                await AccountStore.UpdatePasswordAsync(connection, transaction, account.Id, check.Rehash, now);
            }
            var sessionId = await TokenStore.CreateSessionAsync(connection, transaction, account.Id, scopes, now, settings.SessionLifetime);
            var (access, refresh) = await TokenStore.IssuePairAsync(connection, transaction, sessionId, scopes, now, settings);
            await SecurityLog.WriteAsync(connection, transaction, SecurityLog.LoginSucceeded, account.Id, now);
            LogSignedIn(logger, account.Id, sessionId);
            return SignInResult.Ok(access, refresh, scopes, settings.AccessTokenLifetime);
        }, cancellationToken);
    }

    public Task<SignInResult> RefreshGrantAsync(string refreshToken, string? scope, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        return database.WriteAsync<SignInResult>(async (connection, transaction) =>
        {
            var invalid = SignInResult.Fail("invalid_grant", "The refresh token is invalid, expired or revoked.");
            var row = await TokenStore.FindRefreshAsync(connection, transaction, refreshToken);
            var nowMs = now.ToUnixTimeMilliseconds();
            if (row is null || row.RevokedAt is not null || row.SessionExpiresAt <= nowMs)
            {
                return invalid;
            }
            if (row.UsedAt is not null || !await TokenStore.MarkRefreshUsedAsync(connection, transaction, refreshToken, now))
            {
                // A rotated token came back: it was stolen or replayed. End the whole family (RFC 6819 §5.2.2.3).
                await TokenStore.RevokeSessionAsync(connection, transaction, row.SessionId, now);
                await SecurityLog.WriteAsync(connection, transaction, SecurityLog.RefreshTokenReused, row.AccountId, now);
                LogReuse(logger, row.AccountId, row.SessionId);
                return invalid;
            }
            if (row.ExpiresAt <= nowMs)
            {
                return invalid;
            }
            var scopes = Scopes.Narrow(row.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries), scope);
            if (scopes is null)
            {
                return SignInResult.Fail("invalid_scope", "A refreshed token cannot have scopes its sign-in did not grant.");
            }
            var (access, refresh) = await TokenStore.IssuePairAsync(connection, transaction, row.SessionId, scopes, now, settings);
            return SignInResult.Ok(access, refresh, scopes, settings.AccessTokenLifetime);
        }, cancellationToken);
    }

    /// <summary>RFC 7009: revoking either token of a session signs that session out. Unknown tokens are ignored.</summary>
    public Task RevokeAsync(string token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return database.WriteAsync(async (connection, transaction) =>
        {
            var sessionId = token.StartsWith(Tokens.RefreshPrefix, StringComparison.Ordinal)
                ? (await TokenStore.FindRefreshAsync(connection, transaction, token))?.SessionId
                : await TokenStore.FindSessionOfAccessAsync(connection, transaction, token);
            if (sessionId is not null && await TokenStore.RevokeSessionAsync(connection, transaction, sessionId, now))
            {
                var accountId = await TokenStore.AccountOfSessionAsync(connection, transaction, sessionId);
                await SecurityLog.WriteAsync(connection, transaction, SecurityLog.Logout, accountId, now);
            }
        }, cancellationToken);
    }

    /// <summary>Signs one session out (the portal's sign-out); its tokens stop working at once.</summary>
    public Task EndSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return database.WriteAsync(async (connection, transaction) =>
        {
            if (await TokenStore.RevokeSessionAsync(connection, transaction, sessionId, now))
            {
                await SecurityLog.WriteAsync(connection, transaction, SecurityLog.Logout,
                    await TokenStore.AccountOfSessionAsync(connection, transaction, sessionId), now);
            }
        }, cancellationToken);
    }

    /// <summary>Sets a new password and signs out every other session of the account.</summary>
    public Task SetPasswordAsync(Account account, string newPassword, string? keepSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = hasher.HashPassword(account, newPassword);
        return database.WriteAsync(async (connection, transaction) =>
        {
            await AccountStore.UpdatePasswordAsync(connection, transaction, account.Id, hash, now);
            await TokenStore.RevokeAllSessionsAsync(connection, transaction, account.Id, keepSessionId, now);
            await OpenIdConnect.OidcGrants.RevokeTokensOfSubjectAsync(connection, transaction, account.Id);
            await LoginThrottle.ClearAsync(connection, transaction, account.Email);
            await SecurityLog.WriteAsync(connection, transaction, SecurityLog.PasswordChanged, account.Id, now);
        }, cancellationToken);
    }

    public bool VerifyPassword(Account account, string password) =>
        hasher.VerifyHashedPassword(account, account.PasswordHash, password) != PasswordVerificationResult.Failed;

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} signed in, session {SessionId}")]
    private static partial void LogSignedIn(ILogger logger, string accountId, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh token reused for account {AccountId}; session {SessionId} revoked")]
    private static partial void LogReuse(ILogger logger, string accountId, string sessionId);
}

/// <summary>A password step's outcome: the account when the password was right, else why not.</summary>
public sealed record PasswordCheck(Account? Account, string? Rehash, SignInResult? Failure)
{
    public static PasswordCheck Fail(string error, string description) => new(null, null, SignInResult.Fail(error, description));
}

public sealed record SignInResult(TokenResponse? Tokens, OAuthError? Error)
{
    public static SignInResult Ok(string access, string refresh, IReadOnlyList<string> scopes, TimeSpan lifetime) =>
        new(new TokenResponse(access, "Bearer", (int)lifetime.TotalSeconds, refresh, string.Join(' ', scopes)), null);

    public static SignInResult Fail(string error, string description) => new(null, new OAuthError(error, description));
}
