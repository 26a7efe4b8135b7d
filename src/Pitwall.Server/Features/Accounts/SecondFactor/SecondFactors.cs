using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts.SecondFactor;

/// <summary>
/// The second factor after the password (issue 20): a TOTP authenticator app, with ten one-time recovery codes. Required for
/// the staff roles that see others' cars and accounts; owners and drivers may choose it in their profile. A wrong code counts
/// toward the e-mail address's lock-out, like a wrong password, and is written to the security log; a code is accepted once.
/// The secret is kept encrypted with ASP.NET data protection; recovery codes only as hashes.
/// </summary>
public sealed partial class SecondFactors(
    Database database, IDataProtectionProvider protection, IOptions<AccountOptions> options, TimeProvider time, ILogger<SecondFactors> logger)
{
    public const int RecoveryCodeCount = 10;
    private const string RecoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    private readonly IDataProtector _protector = protection.CreateProtector("Pitwall.Accounts.SecondFactor.Totp.v1");

    /// <summary>The roles that see stolen cars' tracks, others' cars or every account: they cannot sign in without a second factor.</summary>
    public static bool RoleNeedsIt(string role) => role is Roles.SocOperator or Roles.Authority or Roles.AssistanceAgent or Roles.Dealer or Roles.Admin;

    /// <summary>Whether this account must have a second factor (the operator can switch the rule off for tests and demos only).</summary>
    public bool IsRequired(string role) => options.Value.SecondFactorRequired && RoleNeedsIt(role);

    public Task<SecondFactorStatus> StatusAsync(string accountId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var row = await SecondFactorStore.FindAsync(connection, null, accountId);
            return new SecondFactorStatus(row?.ConfirmedAt is not null,
                row?.ConfirmedAt is null ? 0 : (int)await SecondFactorStore.RecoveryCodesLeftAsync(connection, null, accountId));
        }, cancellationToken);

    /// <summary>The secret an enrolment shows (as a QR code and as text): the same until it is confirmed, so reloading the page
    /// does not invalidate what the app has already scanned. Null when the account has a confirmed factor.</summary>
    /// <remarks>Data protection runs outside every write transaction here: it may write a new key to the database, and SQLite's one
    /// writer would wait for itself.</remarks>
    public async Task<string?> PendingSecretAsync(string accountId, CancellationToken cancellationToken)
    {
        var fresh = _protector.Protect(TotpCodes.NewSecret());
        var row = await database.WriteAsync(async (connection, transaction) =>
        {
            await SecondFactorStore.InsertPendingAsync(connection, transaction, accountId, fresh, time.GetUtcNow());
            return await SecondFactorStore.FindAsync(connection, transaction, accountId);
        }, cancellationToken);
        return row is null || row.ConfirmedAt is not null ? null : _protector.Unprotect(row.SecretProtected);
    }

    public string OtpAuthUri(Account account, string secret) => TotpCodes.Uri(options.Value.SecondFactorIssuer, account.Email, secret);

    /// <summary>Confirms an enrolment with a code from the app; returns the recovery codes (shown once), or null for a wrong code.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmAsync(string accountId, string? code, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = await database.ReadAsync(c => SecondFactorStore.FindAsync(c, null, accountId), cancellationToken);
        if (row is null || row.ConfirmedAt is not null || TotpCodes.Match(_protector.Unprotect(row.SecretProtected), code, now, long.MinValue) is not { } step)
        {
            return null;
        }
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        return await database.WriteAsync<IReadOnlyList<string>?>(async (connection, transaction) =>
        {
            if (!await SecondFactorStore.ConfirmAsync(connection, transaction, accountId, row.SecretProtected, step, now))
            {
                return null;
            }
            await SecondFactorStore.InsertRecoveryCodesAsync(connection, transaction, accountId, codes.Select(HashRecoveryCode), now);
            await SecurityLog.WriteAsync(connection, transaction, SecurityLog.SecondFactorEnrolled, accountId, now);
            return codes;
        }, cancellationToken);
    }

    /// <summary>The step after the password: a code from the app, or an unused recovery code.</summary>
    public async Task<SecondFactorCheck> VerifyAsync(Account account, string? code, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stored = await database.ReadAsync(c => SecondFactorStore.FindAsync(c, null, account.Id), cancellationToken);
        var secret = stored?.ConfirmedAt is null ? null : _protector.Unprotect(stored.SecretProtected);
        return await database.WriteAsync(async (connection, transaction) =>
        {
            if (await LoginThrottle.IsLockedAsync(connection, transaction, account.Email, now))
            {
                return SecondFactorCheck.LockedOut;
            }
            var row = await SecondFactorStore.FindAsync(connection, transaction, account.Id);
            if (secret is null || row?.ConfirmedAt is null || row.SecretProtected != stored!.SecretProtected)
            {
                return SecondFactorCheck.Wrong;
            }
            if (TotpCodes.Match(secret, code, now, row.LastStep) is { } step && await SecondFactorStore.UseStepAsync(connection, transaction, account.Id, step))
            {
                return SecondFactorCheck.Accepted;
            }
            if (NormalizeRecoveryCode(code) is { } recovery
                && await SecondFactorStore.UseRecoveryCodeAsync(connection, transaction, account.Id, HashRecoveryCode(recovery), now))
            {
                await SecurityLog.WriteAsync(connection, transaction, SecurityLog.RecoveryCodeUsed, account.Id, now);
                return SecondFactorCheck.Accepted;
            }
            var replay = TotpCodes.IsReplay(secret, code, now, row.LastStep);
            var locked = await LoginThrottle.RecordFailureAsync(connection, transaction, account.Email, now, options.Value);
            await SecurityLog.WriteAsync(connection, transaction, replay ? SecurityLog.SecondFactorReplayed : SecurityLog.SecondFactorFailed, account.Id, now);
            if (locked)
            {
                await SecurityLog.WriteAsync(connection, transaction, SecurityLog.LockedOut, account.Id, now);
            }
            LogRefused(logger, account.Id, replay);
            return locked ? SecondFactorCheck.LockedOut : SecondFactorCheck.Wrong;
        }, cancellationToken);
    }

    /// <summary>An administrator's reset of a lost factor: removes it and the recovery codes and signs every session out; the staff
    /// member enrols again at the next sign-in.</summary>
    public Task<bool> ResetAsync(string accountId, CancellationToken cancellationToken) => RemoveAsync(accountId, SecurityLog.SecondFactorReset, cancellationToken);

    /// <summary>An owner switching the second factor off (after a right code); the sessions stay.</summary>
    public Task<bool> SwitchOffAsync(string accountId, CancellationToken cancellationToken) => RemoveAsync(accountId, SecurityLog.SecondFactorRemoved, cancellationToken);

    private Task<bool> RemoveAsync(string accountId, string @event, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return database.WriteAsync(async (connection, transaction) =>
        {
            var had = await SecondFactorStore.DeleteAsync(connection, transaction, accountId);
            if (@event == SecurityLog.SecondFactorReset)
            {
                await TokenStore.RevokeAllSessionsAsync(connection, transaction, accountId, null, now);
                await OpenIdConnect.OidcGrants.RevokeTokensOfSubjectAsync(connection, transaction, accountId);
            }
            await SecurityLog.WriteAsync(connection, transaction, @event, accountId, now);
            return had;
        }, cancellationToken);
    }

    private static string NewRecoveryCode()
    {
        var chars = RandomNumberGenerator.GetString(RecoveryAlphabet, 10);
        return chars[..5] + "-" + chars[5..];
    }

    private static string? NormalizeRecoveryCode(string? code)
    {
        var plain = string.Concat((code ?? "").Where(c => c is not (' ' or '-'))).ToLowerInvariant();
        return plain.Length == 10 && plain.All(c => RecoveryAlphabet.Contains(c, StringComparison.Ordinal)) ? plain : null;
    }

    private static string HashRecoveryCode(string code) => Tokens.Hash("recovery:" + NormalizeRecoveryCode(code));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Second factor refused for account {AccountId} (replayed code: {Replay})")]
    private static partial void LogRefused(ILogger logger, string accountId, bool replay);
}

public sealed record SecondFactorStatus(bool Enrolled, int RecoveryCodesLeft);

public enum SecondFactorCheck
{
    Accepted,
    Wrong,
    LockedOut,
}
