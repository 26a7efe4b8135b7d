using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Notifications.Channels;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>The e-mail channel against a real SMTP server (Debian's python3-aiosmtpd) on loopback.</summary>
public sealed partial class EmailChannelTests : IAsyncLifetime
{
    private SmtpPeer _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpPeer.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private ChannelHost Host(int? port = null) => ChannelHost.Start(
        ("Smtp:Host", "127.0.0.1"),
        ("Smtp:Port", (port ?? _smtp.Port).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Smtp:From", "Pitwall <noreply@pitwall.example>"),
        ("Smtp:StartTls", "false"));

    private static OutgoingMessage Message(
        string to, string id = "delivery-11", string title = "Package ends", string body = "Connect Care ends on 2026-03-01.\nRenew it in the app.") =>
        TestMessages.For(NotificationProcessors.EmailRelay, id, "contract.expires", title, body, DateTimeOffset.UnixEpoch, to);

    [GeneratedRegex(@"^Message-ID: (.+)$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MessageIdHeader();

    /// <summary>The body as a mail client shows it (the channel sends UTF-8 text as base64).</summary>
    internal static string Body(string data)
    {
        var parts = data.Split("\r\n\r\n", 2);
        Assert.Contains("Content-Transfer-Encoding: base64", parts[0], StringComparison.Ordinal);
        return Encoding.UTF8.GetString(Convert.FromBase64String(parts[1].Replace("\r\n", "", StringComparison.Ordinal)));
    }

    /// <summary>The subject with its RFC 2047 encoded words decoded.</summary>
    internal static string Subject(string data)
    {
        var header = Regex.Match(data, @"^Subject: ([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)", RegexOptions.Multiline).Groups[1].Value;
        return MimeKit.Utils.Rfc2047.DecodeText(Encoding.ASCII.GetBytes(header.Replace("\r\n", "", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sends_a_plain_text_mail_with_the_title_as_subject_a_stable_message_id_and_no_VIN()
    {
        using var host = Host();
        var email = host.Channel(NotificationChannels.Email);
        Assert.True(email.IsConfigured);

        var outcome = await email.SendAsync(Message("owner@example.com"), CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Delivered("<delivery-11@pitwall.example>"), outcome);
        var received = await _smtp.NextAsync();
        Assert.Equal("noreply@pitwall.example", received.GetProperty("from").GetString());
        Assert.Equal(["owner@example.com"], received.GetProperty("to").EnumerateArray().Select(e => e.GetString()));
        var data = received.GetProperty("data").GetString()!;
        Assert.Contains("Subject: Package ends", data, StringComparison.Ordinal);
        Assert.Equal("<delivery-11@pitwall.example>", MessageIdHeader().Match(data).Groups[1].Value.Trim());
        Assert.Single(MessageIdHeader().Matches(data));
        Assert.Contains("Auto-Submitted: auto-generated", data, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain", data, StringComparison.Ordinal);
        Assert.Contains("\r\nDate: ", data, StringComparison.Ordinal);
        Assert.Equal("Connect Care ends on 2026-03-01.\r\nRenew it in the app.", Body(data));
        Assert.DoesNotContain(TestKeys.Vin, data, StringComparison.Ordinal);

        // A resend of the same delivery carries the same Message-ID, so the receiver can recognise it.
        await email.SendAsync(Message("owner@example.com"), CancellationToken.None);
        Assert.Equal("<delivery-11@pitwall.example>", MessageIdHeader().Match((await _smtp.NextAsync()).GetProperty("data").GetString()!).Groups[1].Value.Trim());
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("owner@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Non_ascii_text_arrives_intact()
    {
        using var host = Host();
        var message = Message("fahrer@example.com", title: "Ladevorgang gestoppt – Stecker prüfen", body: "Bitte den Ladestecker prüfen. Grüße");
        Assert.IsType<DeliveryOutcome.Delivered>(await host.Channel(NotificationChannels.Email).SendAsync(message, CancellationToken.None));
        var data = (await _smtp.NextAsync()).GetProperty("data").GetString()!;
        Assert.DoesNotContain("prüfen", data, StringComparison.Ordinal); // 7-bit on the wire
        Assert.Equal("Ladevorgang gestoppt – Stecker prüfen", Subject(data));
        Assert.Equal("Bitte den Ladestecker prüfen. Grüße", Body(data));
    }

    [Fact]
    public async Task A_temporary_refusal_is_retried_a_permanent_one_fails_and_an_unreachable_relay_is_retried()
    {
        using var host = Host();
        var email = host.Channel(NotificationChannels.Email);

        var busy = Assert.IsType<DeliveryOutcome.Retry>(await email.SendAsync(Message("busy@example.com"), CancellationToken.None));
        Assert.Contains("451", busy.Reason, StringComparison.Ordinal);
        var nobody = Assert.IsType<DeliveryOutcome.Failed>(await email.SendAsync(Message("nobody@example.com"), CancellationToken.None));
        Assert.Contains("550", nobody.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("@", busy.Reason + nobody.Reason, StringComparison.Ordinal);
        Assert.IsType<DeliveryOutcome.Failed>(await email.SendAsync(Message("not an address"), CancellationToken.None));
        Assert.False(_smtp.TryNext(out _));

        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var nowhere = Host(port);
        Assert.IsType<DeliveryOutcome.Retry>(await nowhere.Channel(NotificationChannels.Email).SendAsync(Message("owner@example.com"), CancellationToken.None));
    }

    [Fact]
    public void The_message_id_is_the_delivery_id_when_it_may_be_one_and_a_hash_of_it_otherwise()
    {
        Assert.Equal("<42.a@example.com>", EmailChannel.MessageId("42.a", "example.com"));
        var hashed = EmailChannel.MessageId("a b<c>", "example.com");
        Assert.Matches("^<[0-9a-f]{32}@example.com>$", hashed);
        Assert.Equal(hashed, EmailChannel.MessageId("a b<c>", "example.com"));
    }
}
