using System.Data.Common;
using Dapper;

namespace Pitwall.Server.Features.Accounts;

/// <summary>Sign-in and sign-out events (REQUIREMENTS H6): which account, what, when. Nothing else.</summary>
internal static class SecurityLog
{
    public const string LoginSucceeded = "login_succeeded";
    public const string LoginFailed = "login_failed";
    public const string LockedOut = "locked_out";
    public const string Logout = "logout";
    public const string RefreshTokenReused = "refresh_token_reused";
    public const string PasswordChanged = "password_changed";

    // The second factor (issue 20).
    public const string SecondFactorEnrolled = "second_factor_enrolled";
    public const string SecondFactorFailed = "second_factor_failed";
    public const string SecondFactorReplayed = "second_factor_replayed";
    public const string RecoveryCodeUsed = "recovery_code_used";
    public const string SecondFactorReset = "second_factor_reset";
    public const string SecondFactorRemoved = "second_factor_removed";

    // Third-party apps (issue 20): the owner's consent given (or replaced) and withdrawn (one car or all).
    public const string ConsentGiven = "app_consent_given";
    public const string ConsentWithdrawn = "app_consent_withdrawn";

    // An administrator's changes to an account (issue 18): disabled, enabled again, another role.
    public const string AccountDisabled = "account_disabled";
    public const string AccountEnabled = "account_enabled";
    public const string RoleChanged = "role_changed";

    internal static Task WriteAsync(DbConnection connection, DbTransaction transaction, string @event, string? accountId, DateTimeOffset at) =>
        connection.ExecuteAsync(
            "INSERT INTO security_log (occurred_at, event, account_id) VALUES (@at, @event, @accountId)",
            new { at = at.ToUnixTimeMilliseconds(), @event, accountId }, transaction);

    /// <summary>Erasure: the account's whole security log.</summary>
    internal static Task DeleteForAccountAsync(DbConnection connection, DbTransaction transaction, string accountId) =>
        connection.ExecuteAsync("DELETE FROM security_log WHERE account_id = @accountId", new { accountId }, transaction);
}
