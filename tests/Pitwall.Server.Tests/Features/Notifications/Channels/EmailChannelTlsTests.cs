using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Notifications.Channels;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>
/// The e-mail channel's TLS and authentication against aiosmtpd on loopback with a self-signed certificate for
/// 127.0.0.1: STARTTLS, implicit TLS, AUTH, and what it refuses (an untrusted certificate, a relay without STARTTLS).
/// </summary>
public sealed class EmailChannelTlsTests : IDisposable
{
    private const string Login = "pitwall";
    private const string Password = "relay password";

    private readonly string _directory = Directory.CreateTempSubdirectory("pitwall-smtp-tls-").FullName;
    private readonly string _certificate;
    private readonly string _key;

    public EmailChannelTlsTests()
    {
        _certificate = Path.Combine(_directory, "relay.crt");
        _key = Path.Combine(_directory, "relay.key");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=smtp.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        File.WriteAllText(_certificate, certificate.ExportCertificatePem());
        File.WriteAllText(_key, key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<SmtpPeer> RelayAsync(bool implicitTls = false) => implicitTls
        ? SmtpPeer.StartAsync("--cert", _certificate, "--key", _key, "--implicit-tls", "--login", $"{Login}:{Password}")
        : SmtpPeer.StartAsync("--cert", _certificate, "--key", _key, "--login", $"{Login}:{Password}");

    private ChannelHost Host(int port, bool implicitTls = false, string password = Password, bool trusted = true) => ChannelHost.Start(
        ("Smtp:Host", "127.0.0.1"),
        ("Smtp:Port", port.ToString(CultureInfo.InvariantCulture)),
        ("Smtp:From", "Pitwall <noreply@pitwall.example>"),
        ("Smtp:UserName", Login),
        ("Smtp:Password", password),
        ("Smtp:ImplicitTls", implicitTls ? "true" : "false"),
        ("Smtp:TrustedCertificateFile", trusted ? _certificate : null));

    private static OutgoingMessage Message() =>
        TestMessages.For(NotificationProcessors.EmailRelay, "delivery-7", "contract.expires", "Package ends", "Renew it in the app.", DateTimeOffset.UnixEpoch, "owner@example.com");

    [Fact]
    public async Task Starttls_and_authentication_deliver_through_a_relay_whose_certificate_is_trusted_by_file()
    {
        await using var relay = await RelayAsync();
        using var host = Host(relay.Port);

        Assert.IsType<DeliveryOutcome.Delivered>(await host.Channel(NotificationChannels.Email).SendAsync(Message(), CancellationToken.None));

        var received = await relay.NextAsync();
        Assert.True(received.GetProperty("tls").GetBoolean());
        Assert.Equal(Login, received.GetProperty("login").GetString());
        Assert.Equal(["owner@example.com"], received.GetProperty("to").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Implicit_tls_speaks_tls_from_the_first_byte()
    {
        await using var relay = await RelayAsync(implicitTls: true);
        using var host = Host(relay.Port, implicitTls: true);

        Assert.IsType<DeliveryOutcome.Delivered>(await host.Channel(NotificationChannels.Email).SendAsync(Message(), CancellationToken.None));

        var received = await relay.NextAsync();
        Assert.True(received.GetProperty("tls").GetBoolean());
        Assert.Equal(Login, received.GetProperty("login").GetString());
    }

    [Fact]
    public async Task Refused_credentials_are_retried_and_logged_as_the_relays_configuration_problem()
    {
        await using var relay = await RelayAsync();
        using var host = Host(relay.Port, password: "not the password");

        var outcome = Assert.IsType<DeliveryOutcome.Retry>(await host.Channel(NotificationChannels.Email).SendAsync(Message(), CancellationToken.None));

        Assert.Contains("refused authentication (535)", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Lines, l => l.Contains("SMTP relay refused the platform's credentials", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("not the password", StringComparison.Ordinal));
        Assert.False(relay.TryNext(out _));
    }

    [Fact]
    public async Task A_relay_certificate_that_nobody_trusts_gets_neither_the_credentials_nor_the_message()
    {
        await using var relay = await RelayAsync();
        using var host = Host(relay.Port, trusted: false);

        var outcome = Assert.IsType<DeliveryOutcome.Retry>(await host.Channel(NotificationChannels.Email).SendAsync(Message(), CancellationToken.None));

        Assert.Contains("SslHandshakeException", outcome.Reason, StringComparison.Ordinal);
        Assert.False(relay.TryNext(out _));
    }

    [Fact]
    public async Task A_relay_that_offers_no_starttls_is_not_sent_to_when_starttls_is_on()
    {
        await using var relay = await SmtpPeer.StartAsync();
        using var host = ChannelHost.Start(
            ("Smtp:Host", "127.0.0.1"),
            ("Smtp:Port", relay.Port.ToString(CultureInfo.InvariantCulture)),
            ("Smtp:From", "noreply@pitwall.example"),
            ("Smtp:StartTls", "true"));

        Assert.IsType<DeliveryOutcome.Retry>(await host.Channel(NotificationChannels.Email).SendAsync(Message(), CancellationToken.None));
        Assert.False(relay.TryNext(out _));
    }

    [Fact]
    public void A_trusted_certificate_file_that_holds_no_certificate_stops_the_start()
    {
        var empty = Path.Combine(_directory, "empty.pem");
        File.WriteAllText(empty, "");
        var failure = Assert.Throws<OptionsValidationException>(() => ChannelHost.Start(
            ("Smtp:Host", "127.0.0.1"), ("Smtp:From", "noreply@pitwall.example"), ("Smtp:TrustedCertificateFile", empty)));
        Assert.Contains("Smtp:TrustedCertificateFile", failure.Message, StringComparison.Ordinal);
    }
}
