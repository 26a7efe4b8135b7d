using System.Data.Common;
using Dapper;

namespace Pitwall.Server.Features.Accounts.SecondFactor;

/// <summary>The tables <c>account_second_factors</c> and <c>account_recovery_codes</c> (migration 0046).</summary>
internal static class SecondFactorStore
{
    public sealed record Row(string SecretProtected, long CreatedAt, long? ConfirmedAt, long LastStep);

    public static Task<Row?> FindAsync(DbConnection connection, DbTransaction? transaction, string accountId) =>
        connection.QuerySingleOrDefaultAsync<Row>(
            """
            SELECT secret_protected AS SecretProtected, created_at AS CreatedAt, confirmed_at AS ConfirmedAt, last_step AS LastStep
            FROM account_second_factors WHERE account_id = @accountId
            """, new { accountId }, transaction);

    public static async Task<bool> IsConfirmedAsync(DbConnection connection, DbTransaction? transaction, string accountId) =>
        await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM account_second_factors WHERE account_id = @accountId AND confirmed_at IS NOT NULL",
            new { accountId }, transaction) > 0;

    /// <summary>Keeps an enrolment's secret until it is confirmed; a confirmed factor is never replaced here.</summary>
    public static Task InsertPendingAsync(DbConnection connection, DbTransaction transaction, string accountId, string secretProtected, DateTimeOffset now) =>
        connection.ExecuteAsync(
            "INSERT INTO account_second_factors (account_id, secret_protected, created_at) VALUES (@accountId, @secretProtected, @now) ON CONFLICT (account_id) DO NOTHING",
            new { accountId, secretProtected, now = now.ToUnixTimeMilliseconds() }, transaction);

    /// <summary>Confirms the enrolment of the secret the code was checked against (not one a parallel request put in its place).</summary>
    public static async Task<bool> ConfirmAsync(DbConnection connection, DbTransaction transaction, string accountId, string secretProtected, long step, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            "UPDATE account_second_factors SET confirmed_at = @now, last_step = @step WHERE account_id = @accountId AND confirmed_at IS NULL AND secret_protected = @secretProtected",
            new { accountId, secretProtected, step, now = now.ToUnixTimeMilliseconds() }, transaction) == 1;

    /// <summary>Takes a time step for a code: false when that step (or a later one) was already used, by a parallel request too.</summary>
    public static async Task<bool> UseStepAsync(DbConnection connection, DbTransaction transaction, string accountId, long step) =>
        await connection.ExecuteAsync(
            "UPDATE account_second_factors SET last_step = @step WHERE account_id = @accountId AND last_step < @step AND confirmed_at IS NOT NULL",
            new { accountId, step }, transaction) == 1;

    public static async Task InsertRecoveryCodesAsync(DbConnection connection, DbTransaction transaction, string accountId, IEnumerable<string> hashes, DateTimeOffset now)
    {
        await connection.ExecuteAsync("DELETE FROM account_recovery_codes WHERE account_id = @accountId", new { accountId }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO account_recovery_codes (account_id, code_hash, created_at) VALUES (@accountId, @hash, @now)",
            hashes.Select(hash => new { accountId, hash, now = now.ToUnixTimeMilliseconds() }), transaction);
    }

    /// <summary>Uses a recovery code once: false when it is unknown or was used.</summary>
    public static async Task<bool> UseRecoveryCodeAsync(DbConnection connection, DbTransaction transaction, string accountId, string hash, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            "UPDATE account_recovery_codes SET used_at = @now WHERE account_id = @accountId AND code_hash = @hash AND used_at IS NULL",
            new { accountId, hash, now = now.ToUnixTimeMilliseconds() }, transaction) == 1;

    public static Task<long> RecoveryCodesLeftAsync(DbConnection connection, DbTransaction? transaction, string accountId) =>
        connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM account_recovery_codes WHERE account_id = @accountId AND used_at IS NULL", new { accountId }, transaction);

    /// <returns>True when the account had a second factor (enrolled or being enrolled).</returns>
    public static async Task<bool> DeleteAsync(DbConnection connection, DbTransaction transaction, string accountId)
    {
        await connection.ExecuteAsync("DELETE FROM account_recovery_codes WHERE account_id = @accountId", new { accountId }, transaction);
        return await connection.ExecuteAsync("DELETE FROM account_second_factors WHERE account_id = @accountId", new { accountId }, transaction) > 0;
    }
}
