using System.Data.Common;
using Dapper;

namespace Pitwall.Server.Features.Accounts;

/// <summary>
/// Counts failed sign-ins per e-mail address and locks the address for a while after too many. Unknown addresses
/// are counted exactly like known ones, so the answers never tell whether an account exists.
/// </summary>
internal static class LoginThrottle
{
    private sealed record Row(long Failures, long WindowStartedAt, long? LockedUntil);

    private static string KeyOf(string email) => Tokens.Hash("login:" + Account.NormalizeEmail(email));

    public static async Task<bool> IsLockedAsync(DbConnection connection, DbTransaction transaction, string email, DateTimeOffset now)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT failures AS Failures, window_started_at AS WindowStartedAt, locked_until AS LockedUntil FROM login_throttle WHERE key = @key",
            new { key = KeyOf(email) }, transaction);
        return row?.LockedUntil is { } until && until > now.ToUnixTimeMilliseconds();
    }

    /// <returns>True when this failure locked the address.</returns>
    public static async Task<bool> RecordFailureAsync(DbConnection connection, DbTransaction transaction, string email, DateTimeOffset now, AccountOptions options)
    {
        var key = KeyOf(email);
        var nowMs = now.ToUnixTimeMilliseconds();
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT failures AS Failures, window_started_at AS WindowStartedAt, locked_until AS LockedUntil FROM login_throttle WHERE key = @key",
            new { key }, transaction);
        var windowOpen = row is not null && row.WindowStartedAt + (long)options.LockoutWindow.TotalMilliseconds > nowMs;
        var failures = windowOpen ? row!.Failures + 1 : 1;
        var windowStart = windowOpen ? row!.WindowStartedAt : nowMs;
        var locks = failures >= options.LockoutThreshold;
        long? lockedUntil = locks ? nowMs + (long)options.LockoutDuration.TotalMilliseconds : null;
        await connection.ExecuteAsync(
            """
            INSERT INTO login_throttle (key, failures, window_started_at, locked_until) VALUES (@key, @failures, @windowStart, @lockedUntil)
            ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_started_at = excluded.window_started_at, locked_until = excluded.locked_until
            """,
            new { key, failures = locks ? 0 : failures, windowStart, lockedUntil }, transaction);
        return locks;
    }

    public static Task ClearAsync(DbConnection connection, DbTransaction transaction, string email) =>
        connection.ExecuteAsync("DELETE FROM login_throttle WHERE key = @key", new { key = KeyOf(email) }, transaction);
}
