using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.ValetAlarm;
using Pitwall.Server.Tests.Features.Notifications.Channels;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Notifications;

/// <summary>
/// Real peers on loopback for the pipeline: an SMS gateway and a webhook receiver (Kestrel) and an SMTP server
/// (aiosmtpd). The test decides per request whether a peer answers, fails or hangs.
/// </summary>
public sealed class DeliveryPeers : IAsyncDisposable
{
    public ConcurrentDictionary<string, int> WebhookIds { get; } = new();

    /// <summary>What the SMS gateway does with the next request; set by the test.</summary>
    public Func<Task<int>> SmsAnswer { get; set; } = () => Task.FromResult(200);

    public Func<Task> WebhookGate { get; set; } = () => Task.CompletedTask;

    /// <summary>The webhook receiver's answer by request path; set by the test.</summary>
    public Func<string, int> WebhookStatus { get; set; } = _ => 204;

    public LoopbackPeer Sms { get; }

    public LoopbackPeer Webhooks { get; }

    public SmtpPeer Smtp { get; }

    public DeliveryPeers()
    {
        Sms = LoopbackPeer.StartAsync(async (_, context, _) => context.Response.StatusCode = await SmsAnswer()).GetAwaiter().GetResult();
        Webhooks = LoopbackPeer.StartAsync(async (_, context, request) =>
        {
            await WebhookGate();
            context.Response.StatusCode = WebhookStatus(request.Path);
            if (context.Response.StatusCode is >= 200 and < 300) // the ids delivered, and how often
            {
                WebhookIds.AddOrUpdate(request.Header("webhook-id"), 1, (_, n) => n + 1);
            }
        }).GetAwaiter().GetResult();
        Smtp = SmtpPeer.StartAsync().GetAwaiter().GetResult();
    }

    public IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Pitwall:Notifications:Channels:Sms:Url", Sms.Url("/messages")),
        new("Pitwall:Notifications:Channels:Sms:ApiKey", "sms-test-key"),
        new("Pitwall:Notifications:Channels:Sms:Sender", "Pitwall"),
        new("Pitwall:Notifications:Channels:Smtp:Host", "127.0.0.1"),
        new("Pitwall:Notifications:Channels:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Pitwall:Notifications:Channels:Smtp:From", "Pitwall <noreply@pitwall.test>"),
        new("Pitwall:Notifications:Channels:Smtp:StartTls", "false"),
        new("Pitwall:Notifications:Channels:Webhooks:AllowPrivateNetworkTargets", "true"),
    ];

    public async ValueTask DisposeAsync()
    {
        await Sms.DisposeAsync();
        await Webhooks.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class DeliverySqliteServer : SqliteServer
{
    public DeliveryPeers Peers { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => Peers.Settings();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Peers.DisposeAsync();
    }
}

public sealed class DeliveryPostgresServer : PostgresServer
{
    public DeliveryPeers Peers { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => Peers.Settings();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Peers.DisposeAsync();
    }
}

/// <summary>Notifications leave through every channel to real peers; failures, slowness and restarts lose nothing.</summary>
public abstract class NotificationDeliveryTests(PitwallServer server, DeliveryPeers peers)
{
    private const string Phone = "+4917612345678";

    private async Task<(OwnedVehicle Owned, string Secret)> SubscribedOwnerAsync()
    {
        var owned = await server.OwnedVehicleAsync();
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PatchAsJsonAsync("/api/v1/me", new { phoneNumbers = new[] { Phone } })).StatusCode);
        var email = new { type = ValetNotifications.ValetSpeedExceeded.Id, channel = "email", enabled = true };
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { switches = new[] { email } })).StatusCode);
        var webhook = await (await owned.Client.PostAsJsonAsync("/api/v1/me/webhooks", new { url = peers.Webhooks.Url("/pitwall") })).JsonAsync();
        return (owned, webhook.GetProperty("secret").GetString()!);
    }

    private Task NotifyAsync(string vin, string key) =>
        server.Get<Database>().WriteAsync((c, t) => server.Get<INotifier>().NotifyAsync(c, t, new Notification(
            vin, ValetNotifications.ValetSpeedExceeded.Id, NotificationText.Verbatim("Valet alarm: your car is driving at 80 km/h."), server.Clock.GetUtcNow(), key)), CancellationToken.None);

    /// <summary>Waits for the deliveries of one inbox entry, by channel, to reach a state.</summary>
    private static Task<Dictionary<string, JsonElement>> WaitForAsync(HttpClient client, Func<Dictionary<string, JsonElement>, bool> done, int index = 0) =>
        NotificationInbox.WaitForDeliveriesAsync(client, inbox => NotificationInbox.DeliveriesByChannel(inbox[index]), done);

    private static string State(JsonElement delivery) => delivery.GetProperty("state").GetString()!;

    [Fact]
    public async Task A_hanging_then_failing_channel_does_not_hold_up_the_others_and_is_retried_after_its_back_off()
    {
        var (owned, secret) = await SubscribedOwnerAsync();
        var smsReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var smsRelease = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        peers.SmsAnswer = () => { smsReached.TrySetResult(); return smsRelease.Task; };
        var mailsBefore = 0;
        while (peers.Smtp.TryNext(out _))
        {
            mailsBefore++;
        }

        await NotifyAsync(owned.Vin, "hang-1");
        await smsReached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The SMS gateway holds its answer; e-mail and webhook go out meanwhile.
        var deliveries = await WaitForAsync(owned.Client, d => State(d["email"]) == "delivered" && State(d["webhook"]) == "delivered");
        Assert.Equal("pending", State(deliveries["sms"]));
        var mail = await peers.Smtp.NextAsync();
        Assert.Contains(owned.Owner.Email, mail.GetProperty("to").ToString());
        Assert.DoesNotContain(owned.Vin, mail.GetProperty("data").GetString());

        var request = peers.Webhooks.Requests.Last();
        var verdict = await Python.RunAsync("standard_webhooks.py", new
        {
            mode = "verify", secret, id = request.Header("webhook-id"), timestamp = request.Header("webhook-timestamp"),
            body = request.Body, signature = request.Header("webhook-signature"),
        });
        Assert.Equal("valid", verdict);
        Assert.Equal(owned.Vin, JsonDocument.Parse(request.Body).RootElement.GetProperty("data").GetProperty("vin").GetString());

        // The gateway finally fails: the SMS waits for its back-off, then goes out.
        peers.SmsAnswer = () => Task.FromResult(200);
        smsRelease.SetResult(503);
        deliveries = await WaitForAsync(owned.Client, d => d["sms"].GetProperty("attempts").GetInt32() == 1 && d["sms"].GetProperty("lastError").ValueKind == JsonValueKind.String);
        Assert.Equal("pending", State(deliveries["sms"]));
        var retryAt = deliveries["sms"].GetProperty("nextAttemptAt").GetDateTimeOffset();
        Assert.True(retryAt >= server.Clock.GetUtcNow().AddSeconds(29), $"retry at {retryAt:O}");
        server.Clock.Advance(TimeSpan.FromSeconds(31));
        // The sender may have measured its sleep just before the jump: waking it makes it look at the clock again.
        server.Get<NotificationSenders>().Wake();
        deliveries = await WaitForAsync(owned.Client, d => State(d["sms"]) == "delivered");
        Assert.Equal(2, deliveries["sms"].GetProperty("attempts").GetInt32());
        var sms = peers.Sms.Requests.Last();
        Assert.Equal("Bearer sms-test-key", sms.Header("authorization"));
        Assert.Equal(Phone, JsonDocument.Parse(sms.Body).RootElement.GetProperty("to").GetString());
        Assert.DoesNotContain(owned.Vin, sms.Body);
    }

    [Fact]
    public async Task A_webhook_whose_receiver_keeps_failing_reads_as_failing_with_its_last_error_and_as_active_once_it_answers_again()
    {
        var owned = await server.OwnedVehicleAsync();
        var down = true;
        peers.WebhookStatus = path => down && path == "/down" ? 500 : 204;
        var created = await owned.Client.PostAsJsonAsync("/api/v1/me/webhooks", new { url = peers.Webhooks.Url("/down") });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        for (var i = 0; i < WebhookState.FailingAfter; i++)
        {
            var webhook = await WebhookAsync(owned.Client);
            Assert.Equal("active", webhook.GetProperty("state").GetString()); // fewer failures in a row are a hiccup
            server.Clock.Advance(TimeSpan.FromSeconds(1)); // each notification its own time: the inbox lists the newest first
            await NotifyAsync(owned.Vin, $"down-{i}");
            // Each one's first attempt has failed and its failure is recorded (the attempt counts from the claim, the error only once
            // the receiver answered), counted over the whole inbox: notifications of the same test-clock millisecond have no order,
            // so "the newest" may be an older one. Waiting for less let a send still be in flight when the clock jumps below; its
            // timeout runs on the test clock, so it ended as a timeout whose retry never came due (the flaky wait below).
            var failedOnce = i + 1;
            await NotificationInbox.WaitForDeliveriesAsync(owned.Client,
                inbox => inbox.Count(n => NotificationInbox.DeliveriesByChannel(n)["webhook"] is var d && d.GetProperty("attempts").GetInt32() == 1
                    && State(d) == "pending" && d.GetProperty("lastError").ValueKind == JsonValueKind.String),
                count => count == failedOnce);
        }
        var failing = await WebhookAsync(owned.Client);
        Assert.Equal("failing", failing.GetProperty("state").GetString());
        Assert.Contains("500", failing.GetProperty("lastError").GetString());
        Assert.True(failing.GetProperty("failingSince").GetDateTimeOffset() <= server.Clock.GetUtcNow());

        down = false; // the receiver is back: the retries get through and the webhook is well again
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        server.Get<NotificationSenders>().Wake();
        for (var i = 0; i < WebhookState.FailingAfter; i++)
        {
            await WaitForAsync(owned.Client, d => State(d["webhook"]) == "delivered", i);
        }
        Assert.Equal("active", (await WebhookAsync(owned.Client)).GetProperty("state").GetString());
        peers.WebhookStatus = _ => 204;
    }

    [Fact]
    public async Task An_email_is_written_in_the_accounts_language_with_its_numbers()
    {
        var owned = await server.OwnedVehicleAsync();
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PatchAsJsonAsync("/api/v1/me", new { locale = "de-DE" })).StatusCode);
        var email = new { type = ValetNotifications.ValetSpeedExceeded.Id, channel = "email", enabled = true };
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new { switches = new[] { email } })).StatusCode);

        await server.Get<Database>().WriteAsync((c, t) => server.Get<INotifier>().NotifyAsync(c, t, new Notification(
            owned.Vin, ValetNotifications.ValetSpeedExceeded.Id, NotificationText.Of(ValetNotifications.SpeedExceeded, ("speedKmh", 1234)),
            server.Clock.GetUtcNow(), "language-1")), CancellationToken.None);
        await WaitForAsync(owned.Client, d => State(d["email"]) == "delivered");

        JsonElement mail;
        do
        {
            mail = await peers.Smtp.NextAsync(); // other tests' mails may be queued before it
        }
        while (!mail.GetProperty("to").ToString().Contains(owned.Owner.Email, StringComparison.OrdinalIgnoreCase));
        var data = mail.GetProperty("data").GetString()!;
        Assert.Equal("Valet-Alarm: Geschwindigkeit", Channels.EmailChannelTests.Subject(data));
        Assert.Contains("Valet-Alarm: Ihr Fahrzeug fährt 1.234 km/h, schneller als die von Ihnen gesetzte Grenze.", Channels.EmailChannelTests.Body(data));
    }

    private static async Task<JsonElement> WebhookAsync(HttpClient client) =>
        Assert.Single((await (await client.GetAsync("/api/v1/me/webhooks")).JsonAsync()).EnumerateArray().ToList());

    [Fact]
    public async Task A_restart_in_the_middle_of_deliveries_loses_none_and_sends_none_twice()
    {
        var (owned, _) = await SubscribedOwnerAsync();
        peers.SmsAnswer = () => Task.FromResult(200);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        peers.WebhookGate = () => { held.TrySetResult(); return stopping.Task; };
        var before = peers.WebhookIds.Count;

        for (var i = 0; i < 3; i++)
        {
            await NotifyAsync(owned.Vin, $"restart-{i}");
        }
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30)); // a send is in flight at the receiver
        // The receiver answers only once the server has begun to stop: those sends are in flight during shutdown.
        server.App.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        await server.RestartAsync();
        peers.WebhookGate = () => Task.CompletedTask;
        await NotifyAsync(owned.Vin, "after-restart");

        for (var i = 0; i < 4; i++)
        {
            await WaitForAsync(owned.Client, d => State(d["webhook"]) == "delivered" && State(d["sms"]) == "delivered", i);
        }
        Assert.Equal(before + 4, peers.WebhookIds.Count);
        Assert.All(peers.WebhookIds.Values, n => Assert.Equal(1, n));
    }
}

public sealed class NotificationDeliveryOnSqlite(DeliverySqliteServer server) : NotificationDeliveryTests(server, server.Peers), IClassFixture<DeliverySqliteServer>;

public sealed class NotificationDeliveryOnPostgres(DeliveryPostgresServer server) : NotificationDeliveryTests(server, server.Peers), IClassFixture<DeliveryPostgresServer>;
