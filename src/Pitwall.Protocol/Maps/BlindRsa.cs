using System.Numerics;
using System.Security.Cryptography;

namespace Pitwall.Protocol.Maps;

/// <summary>
/// RSA blind signatures, RFC 9474 variant RSABSSA-SHA384-PSS-Deterministic (no message randomisation; EMSA-PSS with SHA-384, MGF1
/// SHA-384 and a 48-byte salt), as Privacy Pass token type 0x0002 (RFC 9578 §6) uses them. The client blinds a message, the signer
/// signs the blinded value without learning the message, the client unblinds and gets an ordinary RSASSA-PSS signature that anyone
/// with the public key verifies (<see cref="Verify"/>) — and that the signer cannot link to the signing.
/// </summary>
public static class BlindRsa
{
    private const int HashLength = 48; // SHA-384
    private const int SaltLength = 48;

    /// <summary>The client's first step: the blinded message to send, and the inverse it keeps for <see cref="Finalize"/>.</summary>
    public static (byte[] Blinded, BigInteger Inverse) Blind(RSAParameters publicKey, ReadOnlySpan<byte> message)
    {
        var n = Unsigned(publicKey.Modulus!);
        var e = Unsigned(publicKey.Exponent!);
        var modulusLength = publicKey.Modulus!.Length;
        var encoded = EncodePss(message, (int)n.GetBitLength() - 1);
        var m = Unsigned(encoded);
        if (BigInteger.GreatestCommonDivisor(m, n) != BigInteger.One)
        {
            throw new CryptographicException("invalid input");
        }
        while (true)
        {
            var r = Unsigned(RandomNumberGenerator.GetBytes(modulusLength)) % n;
            if (r <= BigInteger.One || BigInteger.GreatestCommonDivisor(r, n) != BigInteger.One)
            {
                continue;
            }
            var x = m * BigInteger.ModPow(r, e, n) % n;
            return (Bytes(x, modulusLength), ModInverse(r, n));
        }
    }

    /// <summary>The signer's step: the blind signature of <paramref name="blinded"/> with the private key (RSASP1, by the Chinese
    /// remainder theorem), checked against the public key before it leaves (RFC 9474 §4.3: a fault must not leak the key).</summary>
    public static byte[] BlindSign(RSAParameters privateKey, ReadOnlySpan<byte> blinded)
    {
        var n = Unsigned(privateKey.Modulus!);
        var modulusLength = privateKey.Modulus!.Length;
        if (blinded.Length != modulusLength)
        {
            throw new CryptographicException("unexpected input size");
        }
        var m = Unsigned(blinded);
        if (m >= n)
        {
            throw new CryptographicException("message representative out of range");
        }
        var p = Unsigned(privateKey.P!);
        var q = Unsigned(privateKey.Q!);
        var m1 = BigInteger.ModPow(m, Unsigned(privateKey.DP!), p);
        var m2 = BigInteger.ModPow(m, Unsigned(privateKey.DQ!), q);
        var h = Unsigned(privateKey.InverseQ!) * (m1 - m2) % p;
        if (h.Sign < 0)
        {
            h += p;
        }
        var s = m2 + h * q;
        if (BigInteger.ModPow(s, Unsigned(privateKey.Exponent!), n) != m)
        {
            throw new CryptographicException("signing failure");
        }
        return Bytes(s, modulusLength);
    }

    /// <summary>The client's last step: the signature on <paramref name="message"/>, verified; null when the signer's answer does not
    /// verify (a wrong key or a broken signer).</summary>
    public static byte[]? Finalize(RSAParameters publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> blindSignature, BigInteger inverse)
    {
        var n = Unsigned(publicKey.Modulus!);
        var modulusLength = publicKey.Modulus!.Length;
        if (blindSignature.Length != modulusLength)
        {
            return null;
        }
        var signature = Bytes(Unsigned(blindSignature) * inverse % n, modulusLength);
        return Verify(publicKey, message, signature) ? signature : null;
    }

    /// <summary>An ordinary RSASSA-PSS (SHA-384, salt 48) verification.</summary>
    public static bool Verify(RSAParameters publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        using var rsa = RSA.Create(publicKey);
        return rsa.VerifyData(message, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pss);
    }

    /// <summary>EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with SHA-384, MGF1-SHA-384 and a random 48-byte salt.</summary>
    private static byte[] EncodePss(ReadOnlySpan<byte> message, int emBits)
    {
        var emLength = (emBits + 7) / 8;
        var mHash = SHA384.HashData(message);
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var prefixed = new byte[8 + HashLength + SaltLength];
        mHash.CopyTo(prefixed, 8);
        salt.CopyTo(prefixed, 8 + HashLength);
        var h = SHA384.HashData(prefixed);
        var db = new byte[emLength - HashLength - 1];
        db[emLength - SaltLength - HashLength - 2] = 0x01;
        salt.CopyTo(db, db.Length - SaltLength);
        var mask = Mgf1(h, db.Length);
        for (var i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }
        db[0] &= (byte)(0xFF >> (8 * emLength - emBits));
        var encoded = new byte[emLength];
        db.CopyTo(encoded, 0);
        h.CopyTo(encoded, db.Length);
        encoded[^1] = 0xBC;
        return encoded;
    }

    private static byte[] Mgf1(byte[] seed, int length)
    {
        var output = new byte[length];
        var block = new byte[seed.Length + 4];
        seed.CopyTo(block, 0);
        for (int counter = 0, offset = 0; offset < length; counter++, offset += HashLength)
        {
            block[^4] = (byte)(counter >> 24);
            block[^3] = (byte)(counter >> 16);
            block[^2] = (byte)(counter >> 8);
            block[^1] = (byte)counter;
            var digest = SHA384.HashData(block);
            digest.AsSpan(0, Math.Min(HashLength, length - offset)).CopyTo(output.AsSpan(offset));
        }
        return output;
    }

    private static BigInteger ModInverse(BigInteger value, BigInteger modulus)
    {
        BigInteger t = 0, newT = 1, r = modulus, newR = value;
        while (newR != 0)
        {
            var quotient = r / newR;
            (t, newT) = (newT, t - quotient * newT);
            (r, newR) = (newR, r - quotient * newR);
        }
        return t.Sign < 0 ? t + modulus : t;
    }

    private static BigInteger Unsigned(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    private static byte[] Bytes(BigInteger value, int length)
    {
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (raw.Length == length)
        {
            return raw;
        }
        var padded = new byte[length];
        raw.CopyTo(padded, length - raw.Length);
        return padded;
    }
}
