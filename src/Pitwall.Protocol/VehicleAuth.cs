using System.Security.Cryptography;
using System.Text;

namespace Pitwall.Protocol;

/// <summary>
/// Development-mode vehicle authentication (DESIGN §4): the car fetches a one-time nonce, then opens the
/// WebSocket with a proof = HMAC-SHA256(secret, context | VIN | nonce). The secret never crosses the network.
/// </summary>
public static class VehicleAuth
{
    public const string VinHeader = "Pitwall-Vin";
    public const string NonceHeader = "Pitwall-Nonce";
    public const string ProofHeader = "Pitwall-Proof";

    private const string Context = "pitwall-vehicle-auth-v1";

    public static string Proof(ReadOnlySpan<byte> secret, string vin, string nonce) =>
        Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{Context}\n{vin}\n{nonce}")));

    public static bool Verify(ReadOnlySpan<byte> secret, string vin, string nonce, string proof)
    {
        Span<byte> given = stackalloc byte[32];
        if (!Convert.TryFromBase64String(proof, given, out var written) || written != 32)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{Context}\n{vin}\n{nonce}"));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>A fleet's per-vehicle secrets derived from one fleet secret, for simulators and bulk provisioning.</summary>
    public static byte[] DeriveSecret(ReadOnlySpan<byte> fleetSecret, string vin) =>
        HMACSHA256.HashData(fleetSecret, Encoding.UTF8.GetBytes($"pitwall-vehicle-secret-v1\n{vin}"));
}
