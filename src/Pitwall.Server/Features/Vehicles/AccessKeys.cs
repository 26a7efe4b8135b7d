using Dapper;
using Pitwall.Server.Data;
using System.Security.Cryptography;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>
/// Short-lived, single-purpose keys (REQUIREMENTS A4, E5): e.g. a map service may show a car's position with a key
/// that opens nothing else and expires within the hour.
/// </summary>
public sealed class AccessKeys(Database database, TimeProvider time)
{
    public const string MapPosition = "map_position";
    /// <summary>The security centre's map of a theft case's track (E5); issued to operators, never to owners.</summary>
    public const string SocMap = "soc_map";
    /// <summary>The purposes an owner may ask for.</summary>
    public static readonly IReadOnlyList<string> Purposes = [MapPosition];
    public static readonly TimeSpan MaxValidity = TimeSpan.FromHours(1);

    public async Task<(string Key, DateTimeOffset ExpiresAt)> CreateAsync(string vin, string accountId, string purpose, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var key = "pwk_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var now = time.GetUtcNow();
        var expiresAt = now + validFor;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO access_keys (key_hash, vin, account_id, purpose, created_at, expires_at) VALUES (@hash, @vin, @accountId, @purpose, @now, @expires)",
            new { hash = Hash(key), vin, accountId, purpose, now = now.ToUnixTimeMilliseconds(), expires = expiresAt.ToUnixTimeMilliseconds() }, t),
            cancellationToken);
        return (key, expiresAt);
    }

    /// <returns>The VIN the key opens for this purpose, or null when it is unknown, expired or for another purpose.</returns>
    public Task<string?> ResolveAsync(string key, string purpose, CancellationToken cancellationToken) =>
        key.Length > 100
            ? Task.FromResult<string?>(null)
            : database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(
                "SELECT vin FROM access_keys WHERE key_hash = @hash AND purpose = @purpose AND expires_at > @now",
                new { hash = Hash(key), purpose, now = time.GetUtcNow().ToUnixTimeMilliseconds() }), cancellationToken);

    private static string Hash(string key) => Hosting.Hashing.Sha256Hex(key);
}
