using System.Buffers.Binary;
using System.Formats.Asn1;
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

    /// <summary>The token key id (RFC 9578 §6.5): SHA-256 of the issuer's encoded public key (<see cref="TokenKey"/>).</summary>
    public static byte[] KeyId(ReadOnlySpan<byte> tokenKey) => SHA256.HashData(tokenKey);

    /// <summary>The AlgorithmIdentifier of RFC 9578 §6.5's token key: id-RSASSA-PSS with SHA-384, MGF1 with SHA-384 and a 48-byte salt
    /// (RFC 4055), DER, as in the RFC's test vector.</summary>
    private static readonly byte[] PssAlgorithm = Convert.FromHexString(
        "304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130");

    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <summary>The issuer's public key as RFC 9578 §6.5 encodes it (the directory's <c>token-key</c>, whose SHA-256 is the key id): a
    /// DER SubjectPublicKeyInfo with the RSASSA-PSS OID and its SHA-384 parameters, so the key says what it signs with.</summary>
    public static byte[] TokenKey(RSAParameters publicKey)
    {
        var rsaKey = new AsnWriter(AsnEncodingRules.DER);
        using (rsaKey.PushSequence())
        {
            rsaKey.WriteIntegerUnsigned(publicKey.Modulus);
            rsaKey.WriteIntegerUnsigned(publicKey.Exponent);
        }
        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            spki.WriteEncodedValue(PssAlgorithm);
            spki.WriteBitString(rsaKey.Encode());
        }
        return spki.Encode();
    }

    /// <summary>The RSA public key in a token key (<see cref="TokenKey"/>; a plain rsaEncryption SubjectPublicKeyInfo is read too).</summary>
    /// <exception cref="CryptographicException">Not such a key, or RSASSA-PSS parameters other than SHA-384 with a 48-byte salt.</exception>
    public static RSAParameters PublicKey(ReadOnlySpan<byte> tokenKey)
    {
        try
        {
            var reader = new AsnReader(tokenKey.ToArray(), AsnEncodingRules.DER);
            var spki = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithm = spki.ReadEncodedValue();
            var oid = new AsnReader(algorithm, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier();
            if (!algorithm.Span.SequenceEqual(PssAlgorithm) && oid != RsaEncryptionOid)
            {
                throw new CryptographicException("Not an RSASSA-PSS (SHA-384, 48-byte salt) or RSA public key.");
            }
            var bits = spki.ReadBitString(out var unused);
            spki.ThrowIfNotEmpty();
            var rsaKey = new AsnReader(bits, AsnEncodingRules.DER).ReadSequence();
            var modulus = rsaKey.ReadIntegerBytes().Span;
            var exponent = rsaKey.ReadIntegerBytes().Span;
            rsaKey.ThrowIfNotEmpty();
            if (unused != 0 || modulus.Length == 0 || exponent.Length == 0)
            {
                throw new CryptographicException("A malformed RSA public key.");
            }
            return new RSAParameters { Modulus = modulus.TrimStart((byte)0).ToArray(), Exponent = exponent.TrimStart((byte)0).ToArray() };
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("A malformed token key.", e);
        }
    }

    /// <summary>What the client asks the issuer to sign for one token: the token input and the blinded message of it.</summary>
    public static TokenRequest Request(ReadOnlySpan<byte> tokenKey, ReadOnlySpan<byte> challenge)
    {
        var key = PublicKey(tokenKey);
        var input = new byte[2 + NonceLength + 32 + KeyIdLength];
        BinaryPrimitives.WriteUInt16BigEndian(input, TokenType);
        RandomNumberGenerator.Fill(input.AsSpan(2, NonceLength));
        SHA256.HashData(challenge).CopyTo(input, 2 + NonceLength);
        KeyId(tokenKey).CopyTo(input, 2 + NonceLength + 32);
        var (blinded, inverse) = BlindRsa.Blind(key, input);
        return new TokenRequest(input, blinded, inverse);
    }

    /// <summary>The token from the issuer's blind signature, or null when the signature does not verify.</summary>
    public static byte[]? Finalize(ReadOnlySpan<byte> tokenKey, TokenRequest request, ReadOnlySpan<byte> blindSignature)
    {
        if (BlindRsa.Finalize(PublicKey(tokenKey), request.Input, blindSignature, request.Inverse) is not { } authenticator)
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

    /// <summary>The key id a token names (its issuer key), or null when it is too short to be a token.</summary>
    public static byte[]? TokenKeyId(ReadOnlySpan<byte> token) =>
        token.Length < InputLength ? null : token.Slice(2 + NonceLength + 32, KeyIdLength).ToArray();

    private const int InputLength = 2 + NonceLength + 32 + KeyIdLength;

    /// <summary>The origin's check (RFC 9578 §6.4): type, challenge digest, key id and signature. The nonce comes back for the
    /// double-spend check; null when the token is not valid for this challenge and key.</summary>
    public static byte[]? Verify(ReadOnlySpan<byte> token, RSAParameters publicKey, ReadOnlySpan<byte> tokenKey, ReadOnlySpan<byte> challenge)
    {
        if (token.Length != InputLength + publicKey.Modulus!.Length || BinaryPrimitives.ReadUInt16BigEndian(token) != TokenType
            || !token.Slice(2 + NonceLength, 32).SequenceEqual(SHA256.HashData(challenge))
            || !token.Slice(2 + NonceLength + 32, KeyIdLength).SequenceEqual(KeyId(tokenKey))
            || !BlindRsa.Verify(publicKey, token[..InputLength], token[InputLength..]))
        {
            return null;
        }
        return token.Slice(2, NonceLength).ToArray();
    }
}

/// <summary>One token in the making: the token input (type, nonce, challenge digest, key id), its blinded form for the issuer, and
/// the inverse that unblinds the issuer's answer. Kept by the client only.</summary>
public sealed record TokenRequest(byte[] Input, byte[] Blinded, BigInteger Inverse);
