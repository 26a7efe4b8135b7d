using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.Maps;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>What the map distribution makes of a token: its nonce when valid, else why not.</summary>
internal enum TokenVerdict
{
    Valid,
    Invalid,
    KeyRetired,
}

/// <summary>
/// The issuer of the map distribution's anonymous tokens (Privacy Pass, RFC 9578 type 0x0002): Pitwall signs a car's blinded token
/// requests with the current issuer key after the vehicle-service gate let its poll through, without seeing the tokens; the map
/// distribution checks the unblinded tokens with the public keys alone — the current one, and the previous one for
/// <see cref="MapOptions.TokenKeyOverlap"/> after a rotation. Neither side can tell which car a token came from. The RSA-2048 keys
/// live in the key directory (<see cref="IssuerKeySet"/>), never in the database; a change of its list (another instance, or
/// <c>pitwall admin map-token-keys-rotate</c>) is read at the next use.
/// </summary>
internal sealed class MapTokenIssuer(IOptions<MapOptions> options, TimeProvider time) : IDisposable
{
    private readonly MapOptions _options = options.Value;
    private readonly Lock _lock = new();
    private IssuerKeySet? _keys;
    private (DateTime Written, long Length) _listVersion;

    /// <summary>The keys as the directory's list says now.</summary>
    public IssuerKeySet Keys
    {
        get
        {
            var list = new FileInfo(Path.Combine(_options.IssuerKeyDirectory, IssuerKeySet.ListFile));
            lock (_lock)
            {
                if (_keys is null || !list.Exists || (list.LastWriteTimeUtc, list.Length) != _listVersion)
                {
                    var keys = IssuerKeySet.LoadOrCreate(_options.IssuerKeyDirectory, time.GetUtcNow());
                    list.Refresh();
                    _listVersion = (list.LastWriteTimeUtc, list.Length);
                    // The previous set is left to the collector, not disposed: a poll may be signing with one of its keys right now.
                    _keys = keys;
                }
                return _keys;
            }
        }
    }

    /// <summary>The key that signs now.</summary>
    public IssuerKey Current => Keys.Current(time.GetUtcNow());

    /// <summary>The map distribution's TokenChallenge (RFC 9577).</summary>
    public byte[] Challenge => PrivateTokens.Challenge(_options.IssuerName, _options.OriginName);

    /// <summary>The blind signatures of <paramref name="blinded"/> with <paramref name="key"/>; a request of the wrong size gets an empty
    /// answer, so the car's finalisation fails for that one alone.</summary>
    public static IReadOnlyList<byte[]> Sign(IssuerKey key, IEnumerable<ReadOnlyMemory<byte>> blinded)
    {
        var parameters = key.Private.ExportParameters(true);
        var signatures = new List<byte[]>();
        foreach (var request in blinded)
        {
            try
            {
                signatures.Add(BlindRsa.BlindSign(parameters, request.Span));
            }
            catch (CryptographicException)
            {
                signatures.Add([]);
            }
        }
        return signatures;
    }

    /// <summary>The origin's check of a token (RFC 9578 §6.4) against the key it names, if that key is still accepted.</summary>
    public (TokenVerdict Verdict, byte[]? Nonce) Verify(ReadOnlySpan<byte> token)
    {
        var keys = Keys;
        if (PrivateTokens.TokenKeyId(token) is not { } keyId || keys.Find(keyId) is not { } key
            || PrivateTokens.Verify(token, key.PublicKey, key.TokenKey, Challenge) is not { } nonce)
        {
            return (TokenVerdict.Invalid, null);
        }
        return keys.Accepts(key, time.GetUtcNow(), _options.TokenKeyOverlap) ? (TokenVerdict.Valid, nonce) : (TokenVerdict.KeyRetired, null);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _keys?.Dispose();
        }
    }
}
