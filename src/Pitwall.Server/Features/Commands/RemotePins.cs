using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Commands;

/// <summary>
/// The remote PIN for unlocking (C4). The app fetches a one-time challenge and the PIN's salt, and sends
/// proof = HMAC-SHA256(key = SHA-256(salt ‖ PIN), challenge); the PIN itself never crosses the network and the server
/// keeps only the salted hash. Three wrong proofs lock unlocking for 15 minutes.
/// </summary>
public sealed class RemotePins(Database database, TimeProvider time)
{
    public const int MaxFailures = 3;
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromSeconds(60);

    public static bool IsValidPin(string? pin) => pin is { Length: >= 4 and <= 8 } && pin.All(char.IsAsciiDigit);

    /// <summary>What the app computes: the proof for a PIN, salt and challenge.</summary>
    public static string Proof(string pin, string salt, string challenge) =>
        Convert.ToBase64String(HMACSHA256.HashData(Verifier(salt, pin), Encoding.UTF8.GetBytes(challenge)));

    public Task SetAsync(string accountId, string pin, CancellationToken cancellationToken)
    {
        var salt = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        return database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO remote_pins (account_id, salt, verifier, failures, updated_at) VALUES (@accountId, @salt, @verifier, 0, @now)
            ON CONFLICT (account_id) DO UPDATE SET salt = excluded.salt, verifier = excluded.verifier, updated_at = excluded.updated_at
            """, new { accountId, salt, verifier = Convert.ToHexStringLower(Verifier(salt, pin)), now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);
    }

    public async Task<bool> IsSetAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM remote_pins WHERE account_id = @accountId", new { accountId }), cancellationToken) > 0;

    /// <returns>A challenge and the PIN's salt, or null when no PIN is set.</returns>
    public Task<(string Challenge, string Salt, DateTimeOffset ExpiresAt)?> ChallengeAsync(string accountId, CancellationToken cancellationToken) =>
        database.WriteAsync<(string, string, DateTimeOffset)?>(async (c, t) =>
        {
            var salt = await c.QuerySingleOrDefaultAsync<string?>("SELECT salt FROM remote_pins WHERE account_id = @accountId", new { accountId }, t);
            if (salt is null)
            {
                return null;
            }
            var challenge = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
            var expiresAt = time.GetUtcNow() + ChallengeLifetime;
            await c.ExecuteAsync("INSERT INTO pin_challenges (challenge, account_id, expires_at) VALUES (@challenge, @accountId, @expires)",
                new { challenge, accountId, expires = expiresAt.ToUnixTimeMilliseconds() }, t);
            return (challenge, salt, expiresAt);
        }, cancellationToken);

    public enum Verdict
    {
        Correct,
        Wrong,
        Locked,
        NoPin,
        BadChallenge,
    }

    /// <summary>Spends the challenge and checks the proof, counting failures.</summary>
    public Task<Verdict> VerifyAsync(string accountId, string challenge, string proof, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var spent = await c.ExecuteAsync("DELETE FROM pin_challenges WHERE challenge = @challenge AND account_id = @accountId AND expires_at > @now",
                new { challenge, accountId, now }, t);
            var pin = await c.QuerySingleOrDefaultAsync<(string Verifier, long Failures, long? LockedUntil)>(
                "SELECT verifier, failures, locked_until FROM remote_pins WHERE account_id = @accountId", new { accountId }, t);
            if (pin.Verifier is null)
            {
                return Verdict.NoPin;
            }
            if (pin.LockedUntil > now)
            {
                return Verdict.Locked;
            }
            if (spent != 1)
            {
                return Verdict.BadChallenge;
            }
            var expected = HMACSHA256.HashData(Convert.FromHexString(pin.Verifier), Encoding.UTF8.GetBytes(challenge));
            Span<byte> given = stackalloc byte[32];
            if (Convert.TryFromBase64String(proof, given, out var written) && written == 32 && CryptographicOperations.FixedTimeEquals(expected, given))
            {
                await c.ExecuteAsync("UPDATE remote_pins SET failures = 0 WHERE account_id = @accountId", new { accountId }, t);
                return Verdict.Correct;
            }
            // Counted in one statement, so parallel wrong guesses cannot slip past the limit.
            var failures = await c.ExecuteScalarAsync<long>(
                "UPDATE remote_pins SET failures = failures + 1 WHERE account_id = @accountId RETURNING failures", new { accountId }, t);
            if (failures < MaxFailures)
            {
                return Verdict.Wrong;
            }
            await c.ExecuteAsync("UPDATE remote_pins SET failures = 0, locked_until = @until WHERE account_id = @accountId",
                new { accountId, until = now + (long)LockDuration.TotalMilliseconds }, t);
            return Verdict.Locked;
        }, cancellationToken);

    private static byte[] Verifier(string salt, string pin) => SHA256.HashData(Encoding.UTF8.GetBytes($"{salt}\n{pin}"));
}
