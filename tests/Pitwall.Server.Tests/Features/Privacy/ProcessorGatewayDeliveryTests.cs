using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pitwall.Server.Data;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Notifications.Channels;
using Pitwall.Server.Features.Privacy.Processors;
using Pitwall.Server.Features.ValetAlarm;
using Pitwall.Server.Tests.Features.Notifications;
using Pitwall.Server.Tests.Features.Notifications.Channels;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Privacy;

/// <summary>A server with real peers on loopback for every processor of notifications: FCM (and its token endpoint), an
/// SMS gateway, an SMTP relay (aiosmtpd) and a webhook receiver.</summary>
public sealed class GatewayDeliveryServer : SqliteServer
{
    public DeliveryPeers Peers { get; } = new();

    public FcmPeer Fcm { get; } = FcmPeer.StartAsync().GetAwaiter().GetResult();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. Peers.Settings(),
        new("Pitwall:Notifications:Channels:Fcm:ProjectId", FcmPeer.Project),
        new("Pitwall:Notifications:Channels:Fcm:ClientEmail", FcmPeer.ClientEmail),
        new("Pitwall:Notifications:Channels:Fcm:PrivateKey", TestKeys.ServiceAccountPem),
        new("Pitwall:Notifications:Channels:Fcm:TokenUri", Fcm.Http.Url("token")),
        new("Pitwall:Notifications:Channels:Fcm:BaseUrl", Fcm.Http.BaseUrl.ToString()),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Peers.DisposeAsync();
        await Fcm.DisposeAsync();
    }
}

/// <summary>P4 end to end: a notification whose text holds the car's VIN and a position leaves through every channel, and
/// each peer gets what the register says its processor may receive.</summary>
public sealed class ProcessorGatewayDeliveryTests(GatewayDeliveryServer server) : IClassFixture<GatewayDeliveryServer>
{
    private const string Phone = "+4917612345670";
    private const string DeviceToken = "device-gateway-1";

    [Fact]
    public async Task Push_sms_and_email_arrive_without_the_vin_and_the_position_and_the_webhook_with_the_vin()
    {
        var peers = server.Peers;
        var owned = await server.OwnedVehicleAsync();
        var client = owned.Client;
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync("/api/v1/me", new { phoneNumbers = new[] { Phone } })).StatusCode);
        var email = new { type = ValetNotifications.ValetSpeedExceeded.Id, channel = "email", enabled = true };
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { switches = new[] { email } })).StatusCode);
        Assert.True((await client.PostAsJsonAsync("/api/v1/me/webhooks", new { url = peers.Webhooks.Url("/gateway") })).IsSuccessStatusCode);
        Assert.True((await client.PostAsJsonAsync("/api/v1/me/push-devices", new { platform = "fcm", token = DeviceToken, name = "Phone" })).IsSuccessStatusCode);

        var text = $"Valet alarm: {owned.Vin} is driving at 80 km/h at 48.77580, 9.18290.";
        await server.Get<Database>().WriteAsync((c, t) => server.Get<INotifier>().NotifyAsync(c, t, new Notification(
            owned.Vin, ValetNotifications.ValetSpeedExceeded.Id, NotificationText.Verbatim(text), server.Clock.GetUtcNow(), "gateway-1")), CancellationToken.None);
        await WaitUntilDeliveredAsync(client, "push", "sms", "email", "webhook");

        const string Redacted = "Valet alarm: [VIN removed] is driving at 80 km/h at [position removed].";
        var sms = peers.Sms.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).Single(r => r.GetProperty("to").GetString() == Phone);
        Assert.Equal($"Valet alarm: speed: {Redacted}", sms.GetProperty("text").GetString());

        var push = JsonDocument.Parse(server.Fcm.Sends.Single(r => r.Body.Contains(DeviceToken, StringComparison.Ordinal)).Body).RootElement.GetProperty("message");
        Assert.Equal(Redacted, push.GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal(["id", "type"], push.GetProperty("data").EnumerateObject().Select(p => p.Name));

        var mail = await peers.Smtp.NextAsync();
        Assert.Contains(owned.Owner.Email, mail.GetProperty("to").ToString(), StringComparison.Ordinal);
        Assert.Equal(Redacted, MailBody(mail.GetProperty("data").GetString()!).TrimEnd());

        var hook = JsonDocument.Parse(peers.Webhooks.Requests.Single(r => r.Path == "/gateway").Body).RootElement.GetProperty("data");
        Assert.Equal(owned.Vin, hook.GetProperty("vin").GetString());
        Assert.Equal($"Valet alarm: {owned.Vin} is driving at 80 km/h at [position removed].", hook.GetProperty("body").GetString());

        foreach (var body in new[] { sms.ToString(), push.ToString(), mail.GetProperty("data").GetString()!, MailBody(mail.GetProperty("data").GetString()!) })
        {
            Assert.DoesNotContain(owned.Vin, body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("48.7758", body, StringComparison.Ordinal);
        }
        // Every HTTP peer sees the neutral User-Agent and no tracing or forwarding headers.
        foreach (var request in peers.Sms.Requests.Concat(peers.Webhooks.Requests).Concat(server.Fcm.Http.Requests))
        {
            Assert.Equal(ProcessorHttp.UserAgent, request.Header("user-agent"));
            Assert.StartsWith("Pitwall/", request.Header("user-agent"), StringComparison.Ordinal);
            Assert.False(request.Headers.ContainsKey("traceparent") || request.Headers.ContainsKey("cookie") || request.Headers.ContainsKey("x-forwarded-for"));
        }

        var gateway = server.Get<ProcessorGateway>();
        Assert.True(gateway.StrippedCount(NotificationProcessors.Fcm, DataElement.Vin, StripKind.Dropped) >= 1);
        Assert.True(gateway.StrippedCount(NotificationProcessors.SmsGateway, DataElement.Text, StripKind.VinRedacted) >= 1);
        Assert.True(gateway.StrippedCount(NotificationProcessors.EmailRelay, DataElement.Text, StripKind.PositionRedacted) >= 1);
        Assert.True(gateway.StrippedCount(NotificationProcessors.WebhookReceivers, DataElement.Text, StripKind.PositionRedacted) >= 1);
        Assert.Equal(0, gateway.StrippedCount(NotificationProcessors.WebhookReceivers, DataElement.Vin, StripKind.Dropped));

        // Administrators read the same counts over the API; owners do not.
        var adminEmail = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<Pitwall.Server.Features.Accounts.AccountAdministration>().CreateUserAsync(adminEmail, "Admin", "admin", "an admin password", CancellationToken.None);
        var admin = server.ClientWith((await server.SignInAsync(adminEmail, "an admin password")).AccessToken);
        var counts = (await (await admin.GetAsync("/api/v1/admin/processor-gateway")).JsonAsync()).EnumerateArray().ToList();
        Assert.Contains(counts, c => c.GetProperty("processor").GetString() == NotificationProcessors.SmsGateway.Name
            && c.GetProperty("element").GetString() == "text" && c.GetProperty("kind").GetString() == "vin_redacted" && c.GetProperty("count").GetInt64() >= 1);
        await (await client.GetAsync("/api/v1/admin/processor-gateway")).AssertProblemAsync(System.Net.HttpStatusCode.Forbidden, "insufficient_scope");

        // The inbox in the app is the platform's own: the user sees the text as it was written.
        var inbox = (await (await client.GetAsync("/api/v1/me/notifications")).JsonAsync()).EnumerateArray().First();
        Assert.Equal(text, inbox.GetProperty("message").GetString());
    }

    /// <summary>The body as a mail client shows it (the channel sends UTF-8 text as base64).</summary>
    private static string MailBody(string data)
    {
        var parts = data.Split("\r\n\r\n", 2);
        return parts[0].Contains("Content-Transfer-Encoding: base64", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(parts[1].Replace("\r\n", "", StringComparison.Ordinal)))
            : parts[1];
    }

    /// <summary>Waits until the notification is delivered on every one of <paramref name="channels"/>; none may fail or be skipped.</summary>
    private static Task WaitUntilDeliveredAsync(HttpClient client, params string[] channels) =>
        NotificationInbox.WaitForDeliveriesAsync(client,
            inbox => inbox.Count == 0 ? [] : NotificationInbox.DeliveriesByChannel(inbox[0]).ToDictionary(d => d.Key, d => d.Value.GetProperty("state").GetString()),
            deliveries =>
            {
                Assert.DoesNotContain(deliveries, d => d.Value is "failed" or "skipped");
                return channels.All(c => deliveries.GetValueOrDefault(c) == "delivered");
            });
}
