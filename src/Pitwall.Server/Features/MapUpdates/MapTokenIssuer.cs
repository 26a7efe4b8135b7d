using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.Maps;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>
/// The issuer of the map distribution's anonymous tokens (Privacy Pass, RFC 9578 type 0x0002): Pitwall signs a car's blinded token
/// requests after the vehicle-service gate let its poll through, without seeing the tokens; the map distribution checks the unblinded
/// tokens with the public key alone. Neither side can tell which car a token came from. The RSA-2048 key lives in a PEM file
/// (<see cref="MapOptions.IssuerKeyFile"/>), made on first use, never in the database.
/// </summary>
internal sealed class MapTokenIssuer : IDisposable
{
    private readonly Lazy<RSA> _key;
    private readonly MapOptions _options;

    public MapTokenIssuer(IOptions<MapOptions> options)
    {
        _options = options.Value;
        _key = new Lazy<RSA>(() => LoadOrCreate(_options.IssuerKeyFile), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The public key (SubjectPublicKeyInfo, DER), as cars and the map distribution get it.</summary>
    public byte[] PublicKeyInfo => _key.Value.ExportSubjectPublicKeyInfo();

    public RSAParameters PublicKey => _key.Value.ExportParameters(false);

    /// <summary>The map distribution's TokenChallenge (RFC 9577).</summary>
    public byte[] Challenge => PrivateTokens.Challenge(_options.IssuerName, _options.OriginName);

    /// <summary>The blind signatures of <paramref name="blinded"/>; a request of the wrong size gets an empty answer, so the car's
    /// finalisation fails for that one alone.</summary>
    public IReadOnlyList<byte[]> Sign(IEnumerable<ReadOnlyMemory<byte>> blinded)
    {
        var key = _key.Value.ExportParameters(true);
        var signatures = new List<byte[]>();
        foreach (var request in blinded)
        {
            try
            {
                signatures.Add(BlindRsa.BlindSign(key, request.Span));
            }
            catch (CryptographicException)
            {
                signatures.Add([]);
            }
        }
        return signatures;
    }

    private static RSA LoadOrCreate(string path)
    {
        var rsa = RSA.Create();
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            rsa.KeySize = 2048;
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            try
            {
                // Another instance may make it at the same moment: the first file wins, and everyone reads that one.
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                using var writer = new StreamWriter(file);
                writer.Write(pem);
                return rsa;
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }
        rsa.ImportFromPem(File.ReadAllText(path));
        return rsa;
    }

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }
}
