using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Pitwall.Protocol.Updates;

/// <summary>
/// Keys of signed update metadata: ECDSA P-256 with SHA-256 (TUF's <c>ecdsa</c> key type, scheme <c>ecdsa-sha2-nistp256</c>; in the .NET
/// library, so no dependency), the public key as PEM in the key's JSON, the key id the SHA-256 of that JSON's canonical form, and
/// signatures DER-encoded in hex, as TUF's reference implementation writes them.
/// </summary>
public static class MetadataKeys
{
    public const string KeyType = "ecdsa";
    public const string Scheme = "ecdsa-sha2-nistp256";

    /// <summary>The public half as TUF's key object.</summary>
    public static JsonObject PublicKey(ECDsa key) => new()
    {
        ["keytype"] = KeyType,
        ["scheme"] = Scheme,
        ["keyval"] = new JsonObject { ["public"] = key.ExportSubjectPublicKeyInfoPem() },
    };

    public static string KeyId(JsonObject publicKey) => Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(publicKey)));

    public static string Sign(ECDsa key, byte[] data) =>
        Convert.ToHexStringLower(key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <summary>Whether <paramref name="signatureHex"/> is <paramref name="publicKey"/>'s signature of <paramref name="data"/>; a key of another
    /// type or a malformed key or signature is simply not valid.</summary>
    public static bool Verify(JsonNode? publicKey, byte[] data, string? signatureHex)
    {
        if (publicKey?["keytype"]?.GetValue<string>() != KeyType || publicKey["scheme"]?.GetValue<string>() != Scheme
            || publicKey["keyval"]?["public"]?.GetValue<string>() is not { } pem || signatureHex is null)
        {
            return false;
        }
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            return key.VerifyData(data, Convert.FromHexString(signatureHex), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A signed document: <c>{"signed": …, "signatures": [{"keyid", "sig"}]}</c>, signed by each of <paramref name="keys"/>.</summary>
    public static string SignDocument(JsonObject signed, IEnumerable<ECDsa> keys)
    {
        var bytes = CanonicalJson.Serialize(signed);
        var signatures = new JsonArray();
        foreach (var key in keys)
        {
            signatures.Add(new JsonObject { ["keyid"] = KeyId(PublicKey(key)), ["sig"] = Sign(key, bytes) });
        }
        return Encoding.UTF8.GetString(CanonicalJson.Serialize(new JsonObject { ["signed"] = signed, ["signatures"] = signatures }));
    }
}
