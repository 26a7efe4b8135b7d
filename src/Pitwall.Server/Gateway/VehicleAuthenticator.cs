using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Server.Data;

namespace Pitwall.Server.Gateway;

/// <summary>
/// Decides which VIN a connection speaks for, before the WebSocket is accepted: a client certificate issued by the
/// vehicle CA (subject CN = VIN), or in development mode a one-time challenge answered with the per-vehicle secret.
/// </summary>
internal sealed class VehicleAuthenticator(
    Database database, IVehicleCredentials credentials, VehicleCertificateAuthority authority, IOptions<GatewayOptions> options, TimeProvider time)
{
    public async Task<Challenge> IssueChallengeAsync(string vin, CancellationToken cancellationToken)
    {
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var expiresAt = time.GetUtcNow() + options.Value.ChallengeLifetime;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO vehicle_auth_nonces (nonce_hash, vin, expires_at) VALUES (@hash, @vin, @expires)",
            new { hash = Hash(nonce), vin, expires = expiresAt.ToUnixTimeMilliseconds() }, t), cancellationToken);
        return new Challenge(nonce, expiresAt);
    }

    /// <returns>The authenticated VIN, or null.</returns>
    public async Task<string?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken) =>
        await AuthenticateAsync(
            await context.Connection.GetClientCertificateAsync(cancellationToken),
            new LinkCredentials(context.Request.Headers[VehicleAuth.VinHeader], context.Request.Headers[VehicleAuth.NonceHeader], context.Request.Headers[VehicleAuth.ProofHeader]),
            cancellationToken);

    /// <summary>The same decision for a link upgraded below Kestrel's HTTP layer (<see cref="VehicleLinkConnections"/>).</summary>
    /// <returns>The authenticated VIN, or null.</returns>
    public async Task<string?> AuthenticateAsync(X509Certificate2? certificate, LinkCredentials offered, CancellationToken cancellationToken)
    {
        if (certificate is not null)
        {
            // A valid certificate still needs a registered car (A2): a deregistered car's certificate opens nothing.
            return authority.VinOf(certificate) is { } certified && await credentials.IsRegisteredAsync(certified, cancellationToken) ? certified : null;
        }
        if (!options.Value.AllowSecretAuthentication)
        {
            return null;
        }
        var (vin, nonce, proof) = offered;
        if (!Vin.IsValid(vin) || string.IsNullOrEmpty(nonce) || nonce.Length > 64 || string.IsNullOrEmpty(proof) || proof.Length > 64)
        {
            return null;
        }
        // Spend the nonce first: a replayed handshake fails even when its proof is right.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var spent = await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE vehicle_auth_nonces SET used_at = @now WHERE nonce_hash = @hash AND vin = @vin AND used_at IS NULL AND expires_at > @now",
            new { hash = Hash(nonce), vin, now }, t), cancellationToken);
        if (spent != 1)
        {
            return null;
        }
        var secret = await credentials.SecretOfAsync(vin!, cancellationToken);
        return secret is not null && VehicleAuth.Verify(secret, vin!, nonce, proof) ? vin : null;
    }

    private static string Hash(string nonce) => Hosting.Hashing.Sha256Hex(nonce);
}

public sealed record Challenge(string Nonce, DateTimeOffset ExpiresAt);

/// <summary>What a car offers in the development mode's challenge answer (headers of its upgrade request).</summary>
internal readonly record struct LinkCredentials(string? Vin, string? Nonce, string? Proof);
