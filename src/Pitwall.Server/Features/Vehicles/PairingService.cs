using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>
/// Pairing (REQUIREMENTS A3): the platform sends a one-time code to the car's screen; whoever types it into the app
/// sits in the car, and becomes its primary user. Codes expire, are stored hashed, and allow five attempts.
/// </summary>
public sealed class PairingService(
    Database database, VehicleStore vehicles, IVehicleLink link, IEnumerable<IVehicleAccessListener> listeners, LiveEvents.LiveEventHub hub, TimeProvider time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public const int MaxAttempts = 5;

    public async Task<PairingResponse?> StartAsync(string accountId, string vin, CancellationToken cancellationToken)
    {
        if (await vehicles.FindAsync(vin, cancellationToken) is null)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now).ToString();
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var expiresAt = now + CodeLifetime;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO pairing_requests (id, vin, account_id, code_hash, attempts, created_at, expires_at)
            VALUES (@id, @vin, @accountId, @hash, 0, @now, @expires)
            """,
            new { id, vin, accountId, hash = Hash(id, code), now = now.ToUnixTimeMilliseconds(), expires = expiresAt.ToUnixTimeMilliseconds() }, t), cancellationToken);
        await link.SendAsync(vin, new Envelope
        {
            SentAtMs = now.ToUnixTimeMilliseconds(),
            PairingCode = new PairingCode { Code = code, ExpiresAtMs = expiresAt.ToUnixTimeMilliseconds() },
        }, expiresAt, cancellationToken);
        return new PairingResponse(id, vin, expiresAt, await link.IsOnlineAsync(vin, cancellationToken));
    }

    public enum Outcome
    {
        Paired,
        NotFound,
        WrongCode,
        Expired,
        AlreadyPaired,
    }

    /// <summary>Checks the code; on success the account is the car's primary user, and its live event stream follows the car.</summary>
    public async Task<Outcome> ConfirmAsync(string accountId, string pairingId, string code, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (outcome, vin) = await database.WriteAsync<(Outcome, string?)>(async (c, t) =>
        {
            // Every guess spends an attempt first, in one statement, so parallel guesses cannot exceed the limit.
            var pairing = await c.QuerySingleOrDefaultAsync<(string Vin, string CodeHash)>(
                """
                UPDATE pairing_requests SET attempts = attempts + 1
                WHERE id = @pairingId AND account_id = @accountId AND completed_at IS NULL AND expires_at > @now AND attempts < @max
                RETURNING vin, code_hash
                """, new { pairingId, accountId, now, max = MaxAttempts }, t);
            if (pairing.Vin is null)
            {
                return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pairing_requests WHERE id = @pairingId AND account_id = @accountId",
                    new { pairingId, accountId }, t) == 0 ? Outcome.NotFound : Outcome.Expired, null);
            }
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(pairingId, code)), Encoding.ASCII.GetBytes(pairing.CodeHash)))
            {
                return (Outcome.WrongCode, null);
            }
            var primary = await c.QuerySingleOrDefaultAsync<string?>(
                "SELECT account_id FROM vehicle_users WHERE vin = @vin AND role = 'primary'", new { vin = pairing.Vin }, t);
            if (primary is not null && primary != accountId)
            {
                return (Outcome.AlreadyPaired, null);
            }
            await c.ExecuteAsync("UPDATE pairing_requests SET completed_at = @now WHERE id = @pairingId", new { pairingId, now }, t);
            // A driver who pairs becomes the primary user.
            await c.ExecuteAsync("DELETE FROM vehicle_users WHERE vin = @vin AND account_id = @accountId", new { vin = pairing.Vin, accountId }, t);
            await c.ExecuteAsync(
                "INSERT INTO vehicle_users (vin, account_id, role, created_at) VALUES (@vin, @accountId, 'primary', @now)",
                new { vin = pairing.Vin, accountId, now }, t);
            await GrantedAsync(c, t, pairing.Vin, accountId, VehicleRole.Primary);
            return (Outcome.Paired, pairing.Vin);
        }, cancellationToken);
        if (vin is not null)
        {
            hub.Publish(new LiveEvents.LiveEvent(vin, "vehicle.paired", new { vin }, time.GetUtcNow(), accountId));
        }
        return outcome;
    }

    /// <summary>Makes an account the primary user without a code (set-up by the operator, e.g. the demo fleet).</summary>
    /// <returns>False when the vehicle already has a primary user.</returns>
    public Task<bool> AssignPrimaryAsync(string vin, string accountId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteAsync(
                    """
                    INSERT INTO vehicle_users (vin, account_id, role, created_at)
                    SELECT @vin, @accountId, 'primary', @now
                    WHERE NOT EXISTS (SELECT 1 FROM vehicle_users WHERE vin = @vin AND role = 'primary')
                    """, new { vin, accountId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t) != 1)
            {
                return false;
            }
            await GrantedAsync(c, t, vin, accountId, VehicleRole.Primary);
            return true;
        }, cancellationToken);

    public Task<string?> VinOfAsync(string accountId, string pairingId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(
            "SELECT vin FROM pairing_requests WHERE id = @pairingId AND account_id = @accountId", new { pairingId, accountId }), cancellationToken);

    /// <summary>Ends every user's access; features drop what they kept for the vehicle's users.</summary>
    public async Task UnpairAsync(string vin, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM vehicle_users WHERE vin = @vin", new { vin }, t);
            VehicleStore.AccessChanged(t);
            await c.ExecuteAsync("DELETE FROM pairing_requests WHERE vin = @vin", new { vin }, t);
            await c.ExecuteAsync("DELETE FROM access_keys WHERE vin = @vin", new { vin }, t);
            foreach (var listener in listeners)
            {
                await listener.OnAccessEndedAsync(c, t, vin, accountId: null);
            }
        }, cancellationToken);
        hub.Publish(new LiveEvents.LiveEvent(vin, "vehicle.unpaired", new { vin }, time.GetUtcNow()));
    }

    public async Task<(bool Added, bool Exists)> AddDriverAsync(string vin, string driverAccountId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var added = await database.WriteAsync(async (c, t) =>
        {
            var inserted = await c.ExecuteAsync(
                "INSERT INTO vehicle_users (vin, account_id, role, created_at) VALUES (@vin, @driverAccountId, 'driver', @now) ON CONFLICT (vin, account_id) DO NOTHING",
                new { vin, driverAccountId, now }, t);
            if (inserted == 1)
            {
                await GrantedAsync(c, t, vin, driverAccountId, VehicleRole.Driver);
            }
            return inserted;
        }, cancellationToken);
        return (added == 1, added == 0);
    }

    public Task<bool> RemoveDriverAsync(string vin, string driverAccountId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteAsync("DELETE FROM vehicle_users WHERE vin = @vin AND account_id = @driverAccountId AND role = 'driver'",
                    new { vin, driverAccountId }, t) != 1)
            {
                return false;
            }
            VehicleStore.AccessChanged(t);
            await c.ExecuteAsync("DELETE FROM access_keys WHERE vin = @vin AND account_id = @driverAccountId", new { vin, driverAccountId }, t);
            foreach (var listener in listeners)
            {
                await listener.OnAccessEndedAsync(c, t, vin, driverAccountId);
            }
            return true;
        }, cancellationToken);

    private async Task GrantedAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string vin, string accountId, VehicleRole role)
    {
        VehicleStore.AccessChanged(t);
        foreach (var listener in listeners)
        {
            await listener.OnAccessGrantedAsync(c, t, vin, accountId, role);
        }
    }

    private static string Hash(string pairingId, string code) =>
        Hosting.Hashing.Sha256Hex($"pairing\n{pairingId}\n{code}");
}
