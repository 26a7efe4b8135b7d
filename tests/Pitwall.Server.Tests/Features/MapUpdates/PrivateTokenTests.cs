using System.Security.Cryptography;
using Pitwall.Protocol.Maps;

namespace Pitwall.Server.Tests.Features.MapUpdates;

/// <summary>The blind RSA signatures (RFC 9474) and Privacy Pass tokens (RFC 9578 type 2) the map distribution's authorisation rests on.</summary>
public sealed class PrivateTokenTests
{
    private static readonly byte[] Challenge = PrivateTokens.Challenge("issuer", "origin");

    [Fact]
    public void A_blind_signature_unblinds_to_an_ordinary_PSS_signature_that_the_signer_never_saw()
    {
        using var rsa = RSA.Create(2048);
        var keyInfo = PrivateTokens.TokenKey(rsa.ExportParameters(false));
        var request = PrivateTokens.Request(keyInfo, Challenge);
        var blindSignature = BlindRsa.BlindSign(rsa.ExportParameters(true), request.Blinded);

        var token = PrivateTokens.Finalize(keyInfo, request, blindSignature);

        Assert.NotNull(token);
        var authenticator = token.AsSpan(request.Input.Length).ToArray();
        // What the signer saw (the blinded message and its signature) is not what the origin sees (the token input and its signature).
        Assert.NotEqual(request.Blinded, request.Input);
        Assert.NotEqual(blindSignature, authenticator);
        // Standard RSASSA-PSS with SHA-384: any verifier checks it with the public key alone.
        Assert.True(rsa.VerifyData(request.Input, authenticator, HashAlgorithmName.SHA384, RSASignaturePadding.Pss));
        Assert.Equal(request.Input.AsSpan(2, PrivateTokens.NonceLength).ToArray(),
            PrivateTokens.Verify(token, rsa.ExportParameters(false), keyInfo, Challenge));
        Assert.Equal(token, PrivateTokens.FromAuthorization($"PrivateToken token=\"{PrivateTokens.Encode(token)}\""));
    }

    [Fact]
    public void A_token_for_another_challenge_or_key_or_with_a_changed_byte_is_refused()
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var keyInfo = PrivateTokens.TokenKey(rsa.ExportParameters(false));
        var request = PrivateTokens.Request(keyInfo, Challenge);
        var token = PrivateTokens.Finalize(keyInfo, request, BlindRsa.BlindSign(rsa.ExportParameters(true), request.Blinded))!;

        Assert.Null(PrivateTokens.Verify(token, rsa.ExportParameters(false), keyInfo, PrivateTokens.Challenge("issuer", "another origin")));
        Assert.Null(PrivateTokens.Verify(token, other.ExportParameters(false), PrivateTokens.TokenKey(other.ExportParameters(false)), Challenge));
        var changed = token.ToArray();
        changed[5] ^= 1; // the nonce
        Assert.Null(PrivateTokens.Verify(changed, rsa.ExportParameters(false), keyInfo, Challenge));
        // An answer that is not the key's blind signature does not unblind into a valid token.
        Assert.Null(PrivateTokens.Finalize(keyInfo, request, [0, .. RandomNumberGenerator.GetBytes(255)]));
    }

    /// <summary>The issuance protocol's test vector for token type 2 (draft-ietf-privacypass-protocol, published as RFC 9578, "Issuance
    /// Protocol 2 - Blind RSA, 2048"): the issuer key pkS, a challenge and the token another implementation made.</summary>
    private static readonly byte[] VectorKey = Convert.FromHexString(
        "30820156304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d0101"
        + "08300d06096086480165030402020500a2030201300382010f003082010a0282010100cb1aed6b6a95f5b1ce013a4cfcab25"
        + "b94b2e64a23034e4250a7eab43c0df3a8c12993af12b111908d4b471bec31d4b6c9ad9cdda90612a2ee903523e6de5a224d6"
        + "b02f09e5c374d0cfe01d8f529c500a78a2f67908fa682b5a2b430c81eaf1af72d7b5e794fc98a3139276879757ce453b526e"
        + "f9bf6ceb99979b8423b90f4461a22af37aab0cf5733f7597abe44d31c732db68a181c6cbbe607d8c0e52e0655fd9996dc584"
        + "eca0be87afbcd78a337d17b1dba9e828bbd81e291317144e7ff89f55619709b096cbb9ea474cead264c2073fe49740c01f00"
        + "e109106066983d21e5f83f086e2e823c879cd43cef700d2a352a9babd612d03cad02db134b7e225a5f0203010001");

    private static readonly byte[] VectorChallenge = Convert.FromHexString("d0bea78c3b452a4ccd4484e4c6f1e73d3c494be58a5a81c7c97f12fe5f9bb03c");

    private static readonly byte[] VectorToken = Convert.FromHexString(
        "000223b29061bc9d3cf3637e067c47abe5122d355e9d681a3fc249fd4d4dd4ae7d61a982f3054cb8cd7dd827eb06f6c7bbd0"
        + "5b1f65a8e6e2968895c0ed1642be52faf861220ad4241ee0e33eb4a486a32f05af05ee33fcfdd1104c665eb827c2062154c6"
        + "8677136693e8301583932d67445e8d073eb2dc2593583b0111e3692129fa6bfa50f556d284e885ea8113a4500619d1559a00"
        + "739774c4bb9b32adb543ee67a0db240ae44e6e84a5bedbe44d3db69b4859e6a36c5a51fa7da5deb13fe38b3a04335c7e3b4c"
        + "a495692d4efdec8272f9a718c4dd86a661161b9f26729fe487b35d2ccb0729adcfaec1393c64186002641177853e3af7f64f"
        + "2384c81f3765cd572d618771a2b845647b4a4a167d51df8b49abe412310a6f1cdcdaea1efe6deb97ca9cba9b5d90798b2399"
        + "effeae0ff66a6a67b2f69961b4b34db5f5c79d5e48c67ace06ba2836197fdb98bb6d276d1df03a006f9f8b06e09c7db7f473"
        + "fb4736cc");

    [Fact]
    public void The_token_key_is_encoded_as_RFC_9578_says_and_a_token_of_its_test_vector_verifies()
    {
        // The SubjectPublicKeyInfo with the RSASSA-PSS OID (SHA-384, MGF1-SHA-384, 48-byte salt): read and written byte for byte.
        var key = PrivateTokens.PublicKey(VectorKey);
        Assert.Equal(256, key.Modulus!.Length);
        Assert.Equal(Convert.ToHexStringLower(VectorKey), Convert.ToHexStringLower(PrivateTokens.TokenKey(key)));
        // The key id in the token is SHA-256 of that encoding, and the token verifies with the key alone.
        Assert.Equal(PrivateTokens.KeyId(VectorKey), PrivateTokens.TokenKeyId(VectorToken));
        Assert.Equal(VectorToken.AsSpan(2, PrivateTokens.NonceLength).ToArray(), PrivateTokens.Verify(VectorToken, key, VectorKey, VectorChallenge));
        // With the plain rsaEncryption encoding the key id differs: the token does not verify under it.
        using var rsa = RSA.Create();
        rsa.ImportParameters(key);
        Assert.Null(PrivateTokens.Verify(VectorToken, key, rsa.ExportSubjectPublicKeyInfo(), VectorChallenge));
        Assert.Throws<CryptographicException>(() => PrivateTokens.PublicKey([0x30, 0x03, 0x02, 0x01, 0x01]));
    }
}
