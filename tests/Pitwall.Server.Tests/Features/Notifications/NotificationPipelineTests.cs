using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Data;
using Pitwall.Server.Features.ChargingAndClimate;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.VehicleAlarm;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Notifications;

/// <summary>The notification outbox: recipients, de-duplication, channel choices and quiet hours, on each engine.</summary>
public abstract class NotificationPipelineTests(PitwallServer server)
{
    private Task NotifyAsync(string vin, NotificationType type, string key, DateTimeOffset? at = null) =>
        server.Get<Database>().WriteAsync((c, t) => server.Get<INotifier>().NotifyAsync(c, t,
            new Notification(vin, type.Id, NotificationText.Verbatim("Something happened."), at ?? server.Clock.GetUtcNow(), key)), CancellationToken.None);

    private static async Task RegisterPhoneAsync(HttpClient client) =>
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/me/push-devices",
            new { platform = "fcm", token = $"token-{Guid.NewGuid():N}", name = "Test phone" })).StatusCode);

    [Fact]
    public async Task Each_user_of_the_car_gets_a_notification_once_per_key_and_strangers_none()
    {
        var owned = await server.OwnedVehicleAsync();
        await NotifyAsync(owned.Vin, ChargingNotifications.ChargingError, "seq-1");
        await NotifyAsync(owned.Vin, ChargingNotifications.ChargingError, "seq-1"); // the same car message again
        await NotifyAsync(owned.Vin, ChargingNotifications.ChargingError, "seq-2");
        var inbox = await NotificationInbox.ReadAsync(owned.Client);
        Assert.Equal(2, inbox.Count);
        Assert.All(inbox, n => Assert.Equal("Charging failed", n.GetProperty("title").GetString()));

        var id = inbox[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await owned.Client.PostAsync($"/api/v1/me/notifications/{id}/read", null)).StatusCode);
        var unread = await (await owned.Client.GetAsync("/api/v1/me/notifications?unread=true")).JsonAsync();
        Assert.Single(unread.EnumerateArray());
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await stranger.PostAsync($"/api/v1/me/notifications/{id}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Channels_follow_the_users_choices_and_quiet_hours_hold_all_but_urgent_ones()
    {
        var owned = await server.OwnedVehicleAsync();
        await RegisterPhoneAsync(owned.Client);
        var now = server.Clock.GetUtcNow();
        var quiet = new { from = now.AddHours(-1).ToString("HH:mm"), to = now.AddHours(2).ToString("HH:mm"), timeZone = "Etc/UTC" };
        var saved = await owned.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new
        {
            switches = new[] { new { type = "charging.stopped", channel = "push", enabled = false } },
            quietHours = quiet,
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var preferences = await saved.JsonAsync();
        var stopped = preferences.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "charging.stopped");
        Assert.False(stopped.GetProperty("channels").GetProperty("push").GetBoolean());
        Assert.True(stopped.GetProperty("channels").GetProperty("in_app").GetBoolean());
        Assert.Equal(quiet.from, preferences.GetProperty("quietHours").GetProperty("from").GetString());

        await NotifyAsync(owned.Vin, ChargingNotifications.ChargingStopped, "a");
        await NotifyAsync(owned.Vin, ChargingNotifications.ChargingError, "b");
        await NotifyAsync(owned.Vin, AlarmNotifications.AlarmTriggered, "c");
        var inbox = (await NotificationInbox.ReadAsync(owned.Client)).ToDictionary(n => n.GetProperty("type").GetString()!);
        Assert.Empty(inbox["charging.stopped"].GetProperty("deliveries").EnumerateArray());

        // Not urgent: the push waits, pending, until the quiet hours end.
        var held = Assert.Single(inbox["charging.error"].GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("push", "pending"), (held.GetProperty("channel").GetString(), held.GetProperty("state").GetString()));
        var endsAt = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(now.AddHours(2).Hour).AddMinutes(now.Minute);
        endsAt = endsAt < now ? endsAt.AddDays(1) : endsAt;
        Assert.Equal(endsAt, held.GetProperty("nextAttemptAt").GetDateTimeOffset());

        // Urgent: sent at once — here recorded as skipped, because this server has no push provider configured.
        var alarm = await WaitForAsync(owned.Client, "alarm.triggered", d => d.GetProperty("state").GetString() != "pending");
        Assert.Equal(("skipped", "channel_not_configured"), (alarm.GetProperty("state").GetString(), alarm.GetProperty("lastError").GetString()));
    }

    [Fact]
    public async Task A_car_whose_clock_runs_ahead_does_not_hold_its_owners_notifications_back()
    {
        var owned = await server.OwnedVehicleAsync();
        await RegisterPhoneAsync(owned.Client);
        await NotifyAsync(owned.Vin, ChargingNotifications.ChargingStopped, "ahead", at: server.Clock.GetUtcNow().AddHours(3));
        var push = (await NotificationInbox.ReadAsync(owned.Client)).Single().GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("channel").GetString() == "push");
        // Due now by the platform's clock: either still waiting for the sender with a due time not later than now, or taken already.
        Assert.True(push.GetProperty("attempts").GetInt32() >= 1 || push.GetProperty("nextAttemptAt").GetDateTimeOffset() <= server.Clock.GetUtcNow(), push.ToString());
    }

    [Fact]
    public async Task Bad_preferences_devices_and_webhooks_are_refused_with_reasons()
    {
        var owned = await server.OwnedVehicleAsync();
        var problem = await (await owned.Client.PutAsJsonAsync("/api/v1/me/notification-preferences", new
        {
            switches = new[] { new { type = "no.such", channel = "pigeon", enabled = true } },
            quietHours = new { from = "25:00", to = "7", timeZone = "Mars/Olympus" },
        })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "switches[0].type", "switches[0].channel", "quietHours.from", "quietHours.to", "quietHours.timeZone" }, fields);
        await (await owned.Client.PostAsJsonAsync("/api/v1/me/push-devices", new { platform = "sms", token = "a b", name = "" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await owned.Client.PostAsJsonAsync("/api/v1/me/webhooks", new { url = "ftp://example.com/", types = new[] { "nope" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var created = await (await owned.Client.PostAsJsonAsync("/api/v1/me/webhooks", new { url = "https://hooks.example.com/pitwall", types = new[] { "alarm.triggered" } })).JsonAsync();
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString());
        var listed = Assert.Single((await (await owned.Client.GetAsync("/api/v1/me/webhooks")).JsonAsync()).EnumerateArray());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("secret").ValueKind); // shown once
    }

    /// <summary>Waits until the notification's one delivery is done, re-reading it whenever a delivery outcome is recorded.</summary>
    private static Task<JsonElement> WaitForAsync(HttpClient client, string type, Func<JsonElement, bool> done) =>
        NotificationInbox.WaitForDeliveriesAsync(client,
            inbox => inbox.Single(n => n.GetProperty("type").GetString() == type).GetProperty("deliveries").EnumerateArray().Single(), done);
}

public sealed class NotificationPipelineOnSqlite(SqliteServer server) : NotificationPipelineTests(server), IClassFixture<SqliteServer>;

public sealed class NotificationPipelineOnPostgres(PostgresServer server) : NotificationPipelineTests(server), IClassFixture<PostgresServer>;
