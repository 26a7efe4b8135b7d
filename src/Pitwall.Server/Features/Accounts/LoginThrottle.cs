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
        // One statement counts the failure, so parallel guesses cannot slip past the threshold.
        var failures = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO login_throttle (key, failures, window_started_at) VALUES (@key, 1, @nowMs)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN login_throttle.window_started_at + @window > @nowMs THEN login_throttle.failures + 1 ELSE 1 END,
                window_started_at = CASE WHEN login_throttle.window_started_at + @window > @nowMs THEN login_throttle.window_started_at ELSE @nowMs END
            RETURNING failures
            """, new { key, nowMs, window = (long)options.LockoutWindow.TotalMilliseconds }, transaction);
        if (failures < options.LockoutThreshold)
        {
            return false;
        }
        await connection.ExecuteAsync(
            "UPDATE login_throttle SET failures = 0, window_started_at = @nowMs, locked_until = @until WHERE key = @key",
            new { key, nowMs, until = nowMs + (long)options.LockoutDuration.TotalMilliseconds }, transaction);
        return true;
    }

    public static Task ClearAsync(DbConnection connection, DbTransaction transaction, string email) =>
        connection.ExecuteAsync("DELETE FROM login_throttle WHERE key = @key", new { key = KeyOf(email) }, transaction);
}
