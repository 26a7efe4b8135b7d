using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>Compact JSON Web Tokens (RFC 7519) signed with RS256 (Google's service-account assertion) or ES256 (APNs provider token).</summary>
internal static class Jwt
{
    public static string SignRs256(RSA key, IReadOnlyDictionary<string, object> header, IReadOnlyDictionary<string, object> claims)
    {
        var input = SigningInput(header, claims);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>ES256 signs with the raw 64-byte r‖s form (IEEE P1363), as JWS requires, not DER.</summary>
    public static string SignEs256(ECDsa key, IReadOnlyDictionary<string, object> header, IReadOnlyDictionary<string, object> claims)
    {
        var input = SigningInput(header, claims);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    private static string SigningInput(IReadOnlyDictionary<string, object> header, IReadOnlyDictionary<string, object> claims) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
}
