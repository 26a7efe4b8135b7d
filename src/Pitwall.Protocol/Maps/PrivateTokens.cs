using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Pitwall.Protocol.Maps;

/// <summary>
/// Privacy Pass tokens of type 0x0002 (Blind RSA, 2048-bit; RFC 9578 §6) and their HTTP authentication scheme (RFC 9577): the map
/// distribution's <see cref="Challenge"/>, the token a client builds and redeems as <c>Authorization: PrivateToken token=…</c>, and
/// the origin's check. The token carries a random nonce, the challenge's digest, the issuer key's id and the unblinded signature —
/// nothing about the client.
/// </summary>
public static class PrivateTokens
{
    public const ushort TokenType = 0x0002;
    public const int NonceLength = 32;
    public const int KeyIdLength = 32;

    /// <summary>The authentication scheme's name.</summary>
    public const string Scheme = "PrivateToken";

    /// <summary>A TokenChallenge (RFC 9577 §2.1.1) with an empty redemption context: a token is good for any one download from the
    /// origin, whenever the car makes it (no session it could be tied to).</summary>
    public static byte[] Challenge(string issuerName, string originInfo)
    {
        var issuer = Encoding.UTF8.GetBytes(issuerName);
        var origin = Encoding.UTF8.GetBytes(originInfo);
        var buffer = new byte[2 + 2 + issuer.Length + 1 + 2 + origin.Length];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, TokenType);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)issuer.Length);
        issuer.CopyTo(buffer, 4);
        buffer[4 + issuer.Length] = 0; // redemption_context: empty
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(5 + issuer.Length), (ushort)origin.Length);
        origin.CopyTo(buffer, 7 + issuer.Length);
        return buffer;
    }

    /// <summary>The token key id: SHA-256 of the issuer's public key (SubjectPublicKeyInfo, DER).</summary>
    public static byte[] KeyId(ReadOnlySpan<byte> publicKeyInfo) => SHA256.HashData(publicKeyInfo);

    /// <summary>What the client asks the issuer to sign for one token: the token input and the blinded message of it.</summary>
    public static TokenRequest Request(ReadOnlySpan<byte> publicKeyInfo, ReadOnlySpan<byte> challenge)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKeyInfo, out _);
        var key = rsa.ExportParameters(false);
        var input = new byte[2 + NonceLength + 32 + KeyIdLength];
        BinaryPrimitives.WriteUInt16BigEndian(input, TokenType);
        RandomNumberGenerator.Fill(input.AsSpan(2, NonceLength));
        SHA256.HashData(challenge).CopyTo(input, 2 + NonceLength);
        KeyId(publicKeyInfo).CopyTo(input, 2 + NonceLength + 32);
        var (blinded, inverse) = BlindRsa.Blind(key, input);
        return new TokenRequest(input, blinded, inverse);
    }

    /// <summary>The token from the issuer's blind signature, or null when the signature does not verify.</summary>
    public static byte[]? Finalize(ReadOnlySpan<byte> publicKeyInfo, TokenRequest request, ReadOnlySpan<byte> blindSignature)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKeyInfo, out _);
        if (BlindRsa.Finalize(rsa.ExportParameters(false), request.Input, blindSignature, request.Inverse) is not { } authenticator)
        {
            return null;
        }
        return [.. request.Input, .. authenticator];
    }

    /// <summary>The <c>Authorization</c> header's parameter value for a token (base64url, no padding).</summary>
    public static string Encode(ReadOnlySpan<byte> token) => Convert.ToBase64String(token).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The token in <c>PrivateToken token="…"</c> (or without quotes), or null.</summary>
    public static byte[]? FromAuthorization(string? header)
    {
        const string Parameter = "token=";
        if (header is null || !header.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var rest = header[(Scheme.Length + 1)..].Trim();
        if (!rest.StartsWith(Parameter, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var value = rest[Parameter.Length..].Trim('"');
        if (value.Length is 0 or > 1024)
        {
            return null;
        }
        var base64 = value.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? bytes[..written] : null;
    }

    /// <summary>The origin's check (RFC 9578 §6.4): type, challenge digest, key id and signature. The nonce comes back for the
    /// double-spend check; null when the token is not valid for this challenge and key.</summary>
    public static byte[]? Verify(ReadOnlySpan<byte> token, RSAParameters publicKey, ReadOnlySpan<byte> publicKeyInfo, ReadOnlySpan<byte> challenge)
    {
        var inputLength = 2 + NonceLength + 32 + KeyIdLength;
        if (token.Length != inputLength + publicKey.Modulus!.Length || BinaryPrimitives.ReadUInt16BigEndian(token) != TokenType
            || !token.Slice(2 + NonceLength, 32).SequenceEqual(SHA256.HashData(challenge))
            || !token.Slice(2 + NonceLength + 32, KeyIdLength).SequenceEqual(KeyId(publicKeyInfo))
            || !BlindRsa.Verify(publicKey, token[..inputLength], token[inputLength..]))
        {
            return null;
        }
        return token.Slice(2, NonceLength).ToArray();
    }
}

/// <summary>One token in the making: the token input (type, nonce, challenge digest, key id), its blinded form for the issuer, and
/// the inverse that unblinds the issuer's answer. Kept by the client only.</summary>
public sealed record TokenRequest(byte[] Input, byte[] Blinded, BigInteger Inverse);
