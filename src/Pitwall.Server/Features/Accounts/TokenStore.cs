using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts;

/// <summary>SQL for sign-in sessions, refresh tokens and access tokens; also answers the bearer handler.</summary>
/// <remarks>
/// Every API request carries an access token, so on SQLite (one instance by design) a valid token's identity is kept for
/// <see cref="AccountOptions.AccessTokenCacheLifetime"/> (never past the token's or its session's expiry) and forgotten
/// as soon as a revocation commits in this process: a revoked session still ends at once. On PostgreSQL, where several
/// instances may share the data, every request is looked up, so a revocation anywhere ends it at once everywhere.
/// </remarks>
internal sealed class TokenStore(Database database, TimeProvider time, IOptions<AccountOptions> options) : IAccessTokenValidator
{
    // Bumped by every committed revocation in this process (any instance in it: tests run several).
    private static long s_revocations;
    private readonly ShortLivedCache<string, AccessTokenIdentity> _cache =
        new(database.Dialect == SqlDialect.Sqlite ? options.Value.AccessTokenCacheLifetime : TimeSpan.Zero, AccessTokenIdentity.SameGrant);

    public async Task<AccessTokenIdentity?> ValidateAsync(string accessToken, CancellationToken cancellationToken)
    {
        if (!accessToken.StartsWith(Tokens.AccessPrefix, StringComparison.Ordinal) || accessToken.Length > 100)
        {
            return null;
        }
        var clock = time.GetUtcNow();
        var now = clock.ToUnixTimeMilliseconds();
        var hash = Tokens.Hash(accessToken);
        var revocations = Interlocked.Read(ref s_revocations); // before the read: a revocation committing meanwhile makes the entry stale
        if (_cache.TryGet(hash, revocations, clock, out var cached))
        {
            return cached;
        }
        var row = await database.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<(string AccountId, string Role, string SessionId, string Scope, long TokenExpiresAt, long SessionExpiresAt)>(
            """
            SELECT s.account_id, a.role, s.id, t.scope, t.expires_at, s.expires_at
            FROM access_tokens t
            JOIN auth_sessions s ON s.id = t.session_id
            JOIN accounts a ON a.id = s.account_id
            WHERE t.token_hash = @hash AND t.expires_at > @now AND s.revoked_at IS NULL AND s.expires_at > @now
            """, new { hash, now }), cancellationToken);
        if (row.AccountId is null)
        {
            return null;
        }
        var identity = new AccessTokenIdentity(row.AccountId, row.Role, row.SessionId, row.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // The same identity as before keeps its principal, built once.
        return _cache.Set(hash, identity, revocations, clock, DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(row.TokenExpiresAt, row.SessionExpiresAt)));
    }

    /// <summary>Sessions end in this transaction (revoked, or deleted with their account): cached tokens are forgotten once it commits.</summary>
    internal static void Revoked(DbTransaction transaction) => Database.AfterCommit(transaction, () => Interlocked.Increment(ref s_revocations));

    public async Task<bool> IsSessionLiveAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM auth_sessions WHERE id = @sessionId AND revoked_at IS NULL AND expires_at > @now", new { sessionId, now }),
            cancellationToken) == 1;
    }

    internal static async Task<string> CreateSessionAsync(
        DbConnection connection, DbTransaction transaction, string accountId, IReadOnlyList<string> scopes, DateTimeOffset now, TimeSpan lifetime)
    {
        var id = Guid.CreateVersion7(now).ToString();
        await connection.ExecuteAsync(
            "INSERT INTO auth_sessions (id, account_id, scope, created_at, expires_at) VALUES (@id, @accountId, @scope, @now, @expires)",
            new { id, accountId, scope = string.Join(' ', scopes), now = now.ToUnixTimeMilliseconds(), expires = (now + lifetime).ToUnixTimeMilliseconds() },
            transaction);
        return id;
    }

    internal static async Task<(string Access, string Refresh)> IssuePairAsync(
        DbConnection connection, DbTransaction transaction, string sessionId, IReadOnlyList<string> scopes, DateTimeOffset now,
        AccountOptions options)
    {
        var access = Tokens.NewAccessToken();
        var refresh = Tokens.NewRefreshToken();
        await connection.ExecuteAsync(
            "INSERT INTO access_tokens (token_hash, session_id, scope, expires_at) VALUES (@hash, @sessionId, @scope, @expires)",
            new { hash = Tokens.Hash(access), sessionId, scope = string.Join(' ', scopes), expires = (now + options.AccessTokenLifetime).ToUnixTimeMilliseconds() },
            transaction);
        await connection.ExecuteAsync(
            "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES (@hash, @sessionId, @now, @expires)",
            new { hash = Tokens.Hash(refresh), sessionId, now = now.ToUnixTimeMilliseconds(), expires = (now + options.RefreshTokenLifetime).ToUnixTimeMilliseconds() },
            transaction);
        return (access, refresh);
    }

    internal sealed record RefreshTokenRow(string SessionId, string AccountId, string Scope, long ExpiresAt, long? UsedAt, long SessionExpiresAt, long? RevokedAt);

    internal static Task<RefreshTokenRow?> FindRefreshAsync(DbConnection connection, DbTransaction transaction, string refreshToken) =>
        connection.QuerySingleOrDefaultAsync<RefreshTokenRow>(
            """
            SELECT r.session_id AS SessionId, s.account_id AS AccountId, s.scope AS Scope, r.expires_at AS ExpiresAt, r.used_at AS UsedAt,
                   s.expires_at AS SessionExpiresAt, s.revoked_at AS RevokedAt
            FROM refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id
            WHERE r.token_hash = @hash
            """, new { hash = Tokens.Hash(refreshToken) }, transaction);

    /// <returns>False when someone used the token first: a second use is a replay.</returns>
    internal static async Task<bool> MarkRefreshUsedAsync(DbConnection connection, DbTransaction transaction, string refreshToken, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            "UPDATE refresh_tokens SET used_at = @now WHERE token_hash = @hash AND used_at IS NULL",
            new { hash = Tokens.Hash(refreshToken), now = now.ToUnixTimeMilliseconds() }, transaction) == 1;

    internal static Task<string?> FindSessionOfAccessAsync(DbConnection connection, DbTransaction transaction, string accessToken) =>
        connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT session_id FROM access_tokens WHERE token_hash = @hash", new { hash = Tokens.Hash(accessToken) }, transaction);

    internal static Task<string?> AccountOfSessionAsync(DbConnection connection, DbTransaction transaction, string sessionId) =>
        connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT account_id FROM auth_sessions WHERE id = @sessionId", new { sessionId }, transaction);

    /// <returns>True when the session was live and is now revoked.</returns>
    internal static async Task<bool> RevokeSessionAsync(DbConnection connection, DbTransaction transaction, string sessionId, DateTimeOffset now)
    {
        Revoked(transaction);
        return await connection.ExecuteAsync(
            "UPDATE auth_sessions SET revoked_at = @now WHERE id = @sessionId AND revoked_at IS NULL",
            new { sessionId, now = now.ToUnixTimeMilliseconds() }, transaction) == 1;
    }

    internal static Task<int> RevokeAllSessionsAsync(DbConnection connection, DbTransaction transaction, string accountId, string? exceptSessionId, DateTimeOffset now)
    {
        Revoked(transaction);
        return connection.ExecuteAsync(
            "UPDATE auth_sessions SET revoked_at = @now WHERE account_id = @accountId AND revoked_at IS NULL AND id <> @except",
            new { accountId, except = exceptSessionId ?? "", now = now.ToUnixTimeMilliseconds() }, transaction);
    }
}
