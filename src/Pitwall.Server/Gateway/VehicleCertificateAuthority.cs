using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;

namespace Pitwall.Server.Gateway;

public sealed class VehicleCaOptions
{
    public const string Section = "Pitwall:VehicleCa";

    /// <summary>Where the vehicle CA's certificate and key live (PEM); created on first use.</summary>
    public string Directory { get; set; } = "./data/vehicle-ca";
}

/// <summary>
/// Pitwall's own certificate authority for cars: it issues one client certificate per VIN (subject CN = VIN) and
/// checks that a presented certificate chains to it. The key never leaves the server's data directory.
/// </summary>
public sealed class VehicleCertificateAuthority(IOptions<VehicleCaOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private X509Certificate2? _root;

    public X509Certificate2 Root
    {
        get
        {
            lock (_gate)
            {
                return _root ??= LoadOrCreate();
            }
        }
    }

    /// <summary>A certificate with its private key for the car with this VIN, valid for <paramref name="validity"/>.</summary>
    public X509Certificate2 Issue(string vin, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={vin}, O=Pitwall vehicles", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // client auth
        using var issued = IssueFrom(request, validity);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A TLS server certificate for the vehicle endpoint, issued by the same CA so cars need only one trust anchor.</summary>
    public X509Certificate2 IssueServer(string hostName, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server auth
        using var issued = IssueFrom(request, validity);
        // Kestrel on Linux wants an exportable key in a PKCS#12 round trip.
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
    }

    // The root is made on first use, at its own "now": read it first, and never start before it (certificate times are
    // whole seconds, so a root made a second later than this clock reading would otherwise refuse to issue).
    private X509Certificate2 IssueFrom(CertificateRequest request, TimeSpan validity)
    {
        var issuer = Root;
        var now = time.GetUtcNow();
        var issuerStart = new DateTimeOffset(issuer.NotBefore.ToUniversalTime());
        var notBefore = now.AddMinutes(-5) < issuerStart ? issuerStart : now.AddMinutes(-5);
        return request.Create(issuer, notBefore, now + validity, RandomNumberGenerator.GetBytes(16));
    }

    /// <returns>The VIN of a certificate this CA issued and that is valid now; null for anything else.</returns>
    public string? VinOf(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        try
        {
            if (!chain.Build(certificate) || !chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(Root.RawDataMemory.Span))
            {
                return null;
            }
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose(); // copies made for each connect
            }
        }
        var vin = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return Vin.IsValid(vin) ? vin : null;
    }

    private X509Certificate2 LoadOrCreate()
    {
        var directory = Path.GetFullPath(options.Value.Directory);
        var certPath = Path.Combine(directory, "ca.crt");
        var keyPath = Path.Combine(directory, "ca.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        System.IO.Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Pitwall vehicle CA, O=Pitwall", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = time.GetUtcNow();
        using var root = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(20));
        File.WriteAllText(certPath, root.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return X509Certificate2.CreateFromPemFile(certPath, keyPath);
    }
}
