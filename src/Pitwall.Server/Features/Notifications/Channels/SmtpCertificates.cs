using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// Which certificates the SMTP relay may present: those the system trusts, and, when <see cref="SmtpOptions.TrustedCertificateFile"/>
/// is set, those that chain to a certificate in that file. A name that does not match the relay is refused either way.
/// </summary>
internal static class SmtpCertificates
{
    private const string Setting = $"{NotificationChannelOptions.Section}:Smtp:TrustedCertificateFile";

    /// <summary>Null (the system's roots only) when no file is configured.</summary>
    public static RemoteCertificateValidationCallback? Validation(SmtpOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.TrustedCertificateFile))
        {
            return null;
        }
        var trusted = Load(options.TrustedCertificateFile);
        return (_, certificate, chain, errors) => errors == SslPolicyErrors.None ||
            (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && ChainsTo(trusted, certificate, chain));
    }

    public static X509Certificate2Collection Load(string file)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ChannelConfigurationException($"{Setting} cannot be read as PEM certificates: {e.GetType().Name}.", e);
        }
        if (certificates.Count == 0)
        {
            throw new ChannelConfigurationException($"{Setting} holds no certificate (PEM, -----BEGIN CERTIFICATE-----).");
        }
        return certificates;
    }

    private static bool ChainsTo(X509Certificate2Collection trusted, X509Certificate certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        // A private CA rarely publishes revocation lists; the operator named it explicitly.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
