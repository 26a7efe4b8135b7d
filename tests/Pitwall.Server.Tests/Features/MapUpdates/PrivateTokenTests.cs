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
        var keyInfo = rsa.ExportSubjectPublicKeyInfo();
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
        var keyInfo = rsa.ExportSubjectPublicKeyInfo();
        var request = PrivateTokens.Request(keyInfo, Challenge);
        var token = PrivateTokens.Finalize(keyInfo, request, BlindRsa.BlindSign(rsa.ExportParameters(true), request.Blinded))!;

        Assert.Null(PrivateTokens.Verify(token, rsa.ExportParameters(false), keyInfo, PrivateTokens.Challenge("issuer", "another origin")));
        Assert.Null(PrivateTokens.Verify(token, other.ExportParameters(false), other.ExportSubjectPublicKeyInfo(), Challenge));
        var changed = token.ToArray();
        changed[5] ^= 1; // the nonce
        Assert.Null(PrivateTokens.Verify(changed, rsa.ExportParameters(false), keyInfo, Challenge));
        // An answer that is not the key's blind signature does not unblind into a valid token.
        Assert.Null(PrivateTokens.Finalize(keyInfo, request, [0, .. RandomNumberGenerator.GetBytes(255)]));
    }
}
