using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>A provider's view of a JWT: signature checked with the public key only, then header and claims.</summary>
public static class JwtCheck
{
    public static (JsonElement Header, JsonElement Claims)? VerifyRs256(string jwt, RSA privateKey)
    {
        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(privateKey.ExportSubjectPublicKeyInfo(), out _);
        return Verify(jwt, "RS256", (data, signature) => publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static (JsonElement Header, JsonElement Claims)? VerifyEs256(string jwt, ECDsa privateKey)
    {
        using var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(privateKey.ExportSubjectPublicKeyInfo(), out _);
        return Verify(jwt, "ES256", (data, signature) =>
            publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    private static (JsonElement Header, JsonElement Claims)? Verify(string jwt, string alg, Func<byte[], byte[], bool> check)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || !check(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2])))
        {
            return null;
        }
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        return header.GetProperty("alg").GetString() == alg ? (header, claims) : null;
    }
}
