using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Notifications.Channels;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>
/// Webhooks to a receiver on loopback (allowed only with AllowPrivateNetworkTargets), signatures checked by an
/// independent Standard Webhooks implementation in Python, and the SSRF rules.
/// </summary>
public sealed class WebhookChannelTests : IAsyncLifetime
{
    private static readonly string Secret = StandardWebhookSignature.GenerateSecret();

    private LoopbackPeer _receiver = null!;

    public async Task InitializeAsync() => _receiver = await LoopbackPeer.StartAsync(HandleAsync);

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static async Task HandleAsync(LoopbackPeer peer, HttpContext context, ReceivedRequest request)
    {
        switch (request.Path)
        {
            case "/gone":
                context.Response.StatusCode = 410;
                break;
            case "/busy":
                context.Response.Headers.RetryAfter = "60";
                context.Response.StatusCode = 503;
                break;
            case "/bad":
                context.Response.StatusCode = 400;
                break;
            case "/moved":
                context.Response.Redirect(peer.Url("hook"));
                break;
            case "/silent":
                await peer.Hang.WaitAsync(context.RequestAborted);
                break;
            default:
                context.Response.StatusCode = 204;
                break;
        }
    }

    private static ChannelHost Host(bool allowPrivate = true, string timeout = "00:00:10") => ChannelHost.Start(
        ("Webhooks:AllowPrivateNetworkTargets", allowPrivate ? "true" : "false"),
        ("Webhooks:Timeout", timeout));

    private static OutgoingMessage Message(string url, string? secret = null) => TestMessages.For(NotificationProcessors.WebhookReceivers,
        "msg_2mU8Lw0cXxJ", "geofence.exited", "Location alarm", "Your car left the area \"Home\".",
        new DateTimeOffset(2026, 5, 4, 7, 30, 15, 250, TimeSpan.FromHours(2)), url, secret: secret ?? Secret);

    [Fact]
    public async Task Posts_the_event_with_Standard_Webhooks_headers_that_an_independent_implementation_accepts()
    {
        using var host = Host();
        var webhook = host.Channel(NotificationChannels.Webhook);
        Assert.True(webhook.IsConfigured);
        host.Clock.Advance(TimeSpan.FromHours(5));

        Assert.IsType<DeliveryOutcome.Delivered>(await webhook.SendAsync(Message(_receiver.Url("hook")), CancellationToken.None));

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Header("content-type"), StringComparison.Ordinal);
        Assert.Equal("msg_2mU8Lw0cXxJ", request.Header("webhook-id"));
        Assert.Equal(host.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("webhook-timestamp"));
        Assert.StartsWith("v1,", request.Header("webhook-signature"), StringComparison.Ordinal);

        var payload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("geofence.exited", payload.GetProperty("type").GetString());
        Assert.Equal("2026-05-04T05:30:15.250Z", payload.GetProperty("timestamp").GetString());
        var data = payload.GetProperty("data");
        Assert.Equal("msg_2mU8Lw0cXxJ", data.GetProperty("id").GetString());
        Assert.Equal("geofence.exited", data.GetProperty("type").GetString());
        Assert.Equal("Location alarm", data.GetProperty("title").GetString());
        Assert.Equal("Your car left the area \"Home\".", data.GetProperty("body").GetString());
        Assert.Equal(TestKeys.Vin, data.GetProperty("vin").GetString());

        var verdict = await Python.RunAsync("standard_webhooks.py", new
        {
            mode = "verify", secret = Secret, id = request.Header("webhook-id"), timestamp = request.Header("webhook-timestamp"),
            body = request.Body, signature = request.Header("webhook-signature"),
        });
        Assert.Equal("valid", verdict);
        Assert.True(StandardWebhookSignature.Verify(Secret, request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Body,
            request.Header("webhook-signature"), host.Clock.GetUtcNow()));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(_receiver.BaseUrl.Authority, StringComparison.Ordinal) || l.Contains(TestKeys.Vin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signatures_agree_with_the_independent_implementation_both_ways_and_tampering_or_staleness_is_refused()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
        const string id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        const string body = "{\"type\":\"alarm.triggered\",\"data\":{\"title\":\"Vehicle alarm – Fahrzeug\"}}";
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var theirs = await Python.RunAsync("standard_webhooks.py", new { mode = "sign", secret = Secret, id, timestamp, body });
        Assert.Equal(StandardWebhookSignature.Sign(Secret, id, now.ToUnixTimeSeconds(), body), theirs);
        Assert.True(StandardWebhookSignature.Verify(Secret, id, timestamp, body, theirs, now));
        Assert.True(StandardWebhookSignature.Verify(Secret, id, timestamp, body, $"v1,{Convert.ToBase64String(new byte[32])} {theirs}", now));

        Assert.False(StandardWebhookSignature.Verify(Secret, id, timestamp, body + " ", theirs, now));
        Assert.False(StandardWebhookSignature.Verify(Secret, "msg_other", timestamp, body, theirs, now));
        Assert.False(StandardWebhookSignature.Verify(StandardWebhookSignature.GenerateSecret(), id, timestamp, body, theirs, now));
        Assert.False(StandardWebhookSignature.Verify(Secret, id, timestamp, body, theirs.Replace("v1,", "v2,", StringComparison.Ordinal), now));
        Assert.True(StandardWebhookSignature.Verify(Secret, id, timestamp, body, theirs, now.AddMinutes(4)));
        Assert.False(StandardWebhookSignature.Verify(Secret, id, timestamp, body, theirs, now.AddMinutes(6)));
        Assert.False(StandardWebhookSignature.Verify(Secret, id, timestamp, body, theirs, now.AddMinutes(-6)));
        Assert.True(StandardWebhookSignature.Verify(Secret, id, timestamp, body, theirs, now.AddMinutes(9), TimeSpan.FromMinutes(10)));

        var tampered = await Python.RunAsync("standard_webhooks.py", new { mode = "verify", secret = Secret, id, timestamp, body = body + " ", signature = theirs });
        Assert.Equal("invalid", tampered);
    }

    [Fact]
    public void Generated_secrets_are_whsec_and_at_least_24_random_bytes()
    {
        var a = StandardWebhookSignature.GenerateSecret();
        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.True(StandardWebhookSignature.TryDecodeSecret(a, out var key));
        Assert.True(key.Length >= 24);
        Assert.NotEqual(a, StandardWebhookSignature.GenerateSecret());
        Assert.Throws<ArgumentOutOfRangeException>(() => StandardWebhookSignature.GenerateSecret(16));
        Assert.False(StandardWebhookSignature.TryDecodeSecret("whsec_not base64!", out _));
    }

    [Fact]
    public async Task Gone_busy_refused_redirected_and_silent_receivers()
    {
        using var host = Host();
        var webhook = host.Channel(NotificationChannels.Webhook);

        Assert.IsType<DeliveryOutcome.AddressGone>(await webhook.SendAsync(Message(_receiver.Url("gone")), CancellationToken.None));
        var busy = Assert.IsType<DeliveryOutcome.Retry>(await webhook.SendAsync(Message(_receiver.Url("busy")), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(60), busy.After);
        Assert.IsType<DeliveryOutcome.Failed>(await webhook.SendAsync(Message(_receiver.Url("bad")), CancellationToken.None));
        var moved = Assert.IsType<DeliveryOutcome.Failed>(await webhook.SendAsync(Message(_receiver.Url("moved")), CancellationToken.None));
        Assert.Contains("redirects are not followed", moved.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_receiver.Requests, r => r.Path == "/hook");
        var unsigned = Assert.IsType<DeliveryOutcome.Failed>(await webhook.SendAsync(Message(_receiver.Url("hook"), secret: ""), CancellationToken.None));
        Assert.Contains("secret", unsigned.Reason, StringComparison.Ordinal);
        Assert.Equal(4, _receiver.Requests.Count);

        using var impatient = Host(timeout: "00:00:00.5");
        var silent = Assert.IsType<DeliveryOutcome.Retry>(await impatient.Channel(NotificationChannels.Webhook).SendAsync(Message(_receiver.Url("silent")), CancellationToken.None));
        Assert.Contains("timed out", silent.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_private_targets_only_https_to_public_addresses_is_called()
    {
        using var host = Host(allowPrivate: false);
        var webhook = host.Channel(NotificationChannels.Webhook);
        var port = _receiver.BaseUrl.Port;

        // Every refusal is decided before any connection is made: nothing reaches the receiver, nothing leaves the machine.
        string[] refused =
        [
            _receiver.Url("hook"),                              // http
            $"https://127.0.0.1:{port}/hook",                    // loopback
            $"https://localhost:{port}/hook",                    // a name that resolves to loopback
            $"https://[::1]:{port}/hook",
            $"https://[::ffff:127.0.0.1]:{port}/hook",           // IPv4-mapped loopback
            "https://10.20.30.40/hook",                         // private
            "https://192.168.1.10/hook",
            "https://[fd00::1]/hook",                           // unique local
            "https://169.254.169.254/latest/meta-data/",        // link-local: cloud metadata
            "https://0.0.0.0/hook",
            "ftp://example.com/hook",
            "https://user:pass@example.com/hook",
        ];
        foreach (var url in refused)
        {
            var outcome = await webhook.SendAsync(Message(url), CancellationToken.None);
            Assert.True(outcome is DeliveryOutcome.Failed, $"{url}: {outcome}");
        }
        Assert.Empty(_receiver.Requests);
        Assert.IsType<DeliveryOutcome.Failed>(await webhook.SendAsync(Message("not a url"), CancellationToken.None));
    }

    [Fact]
    public async Task Private_targets_when_allowed_still_exclude_link_local_and_the_connect_step_checks_again()
    {
        using var host = Host(allowPrivate: true);
        var metadata = await host.Channel(NotificationChannels.Webhook).SendAsync(Message("http://169.254.169.254/latest/meta-data/"), CancellationToken.None);
        Assert.Contains("link-local", Assert.IsType<DeliveryOutcome.Failed>(metadata).Reason, StringComparison.Ordinal);

        // The client's own connect step refuses what the check before it would refuse (a DNS answer that changed).
        var refused = await Assert.ThrowsAsync<WebhookTargetRefusedException>(async () =>
            await WebhookTargets.ConnectAsync(new DnsEndPoint("localhost", _receiver.BaseUrl.Port), allowPrivateNetworks: false, CancellationToken.None));
        Assert.Contains("loopback", refused.Message, StringComparison.Ordinal);
        await using var allowed = await WebhookTargets.ConnectAsync(new DnsEndPoint("127.0.0.1", _receiver.BaseUrl.Port), allowPrivateNetworks: true, CancellationToken.None);
        Assert.True(allowed.CanWrite);
    }

    [Theory]
    [InlineData("8.8.8.8", nameof(AddressKind.Public))]
    [InlineData("93.184.216.34", nameof(AddressKind.Public))]
    [InlineData("172.32.0.1", nameof(AddressKind.Public))]
    [InlineData("127.0.0.1", nameof(AddressKind.Loopback))]
    [InlineData("127.255.0.9", nameof(AddressKind.Loopback))]
    [InlineData("::1", nameof(AddressKind.Loopback))]
    [InlineData("10.0.0.1", nameof(AddressKind.Private))]
    [InlineData("172.16.5.4", nameof(AddressKind.Private))]
    [InlineData("172.31.255.255", nameof(AddressKind.Private))]
    [InlineData("192.168.0.1", nameof(AddressKind.Private))]
    [InlineData("100.64.0.1", nameof(AddressKind.Private))]
    [InlineData("fd12:3456::1", nameof(AddressKind.Private))]
    [InlineData("169.254.169.254", nameof(AddressKind.LinkLocal))]
    [InlineData("fe80::1", nameof(AddressKind.LinkLocal))]
    [InlineData("::ffff:10.1.2.3", nameof(AddressKind.Private))]
    [InlineData("::ffff:169.254.169.254", nameof(AddressKind.LinkLocal))]
    [InlineData("64:ff9b::a9fe:a9fe", nameof(AddressKind.LinkLocal))]
    [InlineData("2002:7f00:1::", nameof(AddressKind.Loopback))]
    [InlineData("0.0.0.0", nameof(AddressKind.Reserved))]
    [InlineData("::", nameof(AddressKind.Reserved))]
    [InlineData("224.0.0.1", nameof(AddressKind.Reserved))]
    [InlineData("255.255.255.255", nameof(AddressKind.Reserved))]
    [InlineData("192.0.2.1", nameof(AddressKind.Reserved))]
    [InlineData("198.18.0.1", nameof(AddressKind.Reserved))]
    [InlineData("ff02::1", nameof(AddressKind.Reserved))]
    [InlineData("2001:db8::1", nameof(AddressKind.Reserved))]
    [InlineData("2a00:1450:4001:81c::200e", nameof(AddressKind.Public))]
    // The kind is named, not passed: AddressKind is internal to the Notifications feature, a public test method cannot take it.
    public void Addresses_are_classified(string address, string kind) =>
        Assert.Equal(Enum.Parse<AddressKind>(kind), WebhookTargets.Classify(IPAddress.Parse(address)));
}
