using System.Net;
using System.Net.Http.Json;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Tests.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>Issue 20: a third-party app's webhook carries only what its grant covers: notifications of the consented car, of
/// types whose scope the owner gave for that car; nothing of another car, of a scope not given, or after the consent is withdrawn.</summary>
public abstract class ThirdPartyWebhookTests(PitwallServer server)
{
    private const string Redirect = "https://charge-planner.example/cb";

    private Task NotifyAsync(string vin, string type) =>
        server.Get<Database>().WriteAsync((c, t) => server.Get<INotifier>().NotifyAsync(c, t,
            new Notification(vin, type, NotificationText.Verbatim("Something happened."), server.Clock.GetUtcNow(), Guid.NewGuid().ToString("N"))), CancellationToken.None);

    /// <summary>The (VIN, type) of every delivery queued for the webhook.</summary>
    private Task<List<(string Vin, string Type)>> QueuedForAsync(string webhookId) => server.Get<Database>().ReadAsync(async c =>
        (await c.QueryAsync<(string, string)>(
            "SELECT n.vin, n.type FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE d.target = @target ORDER BY n.created_at, n.type",
            new { target = $"webhook:{webhookId}" })).ToList(), CancellationToken.None);

    [Fact]
    public async Task The_apps_webhook_gets_only_the_consented_cars_notifications_of_consented_scopes()
    {
        var created = await (await server.AdminAsync()).PostAsJsonAsync("/api/v1/admin/clients",
            new { kind = "third_party", name = "Charge Planner", redirectUris = new[] { Redirect }, scopes = new[] { "read_charge", "read_location" } });
        var clientId = (await created.JsonAsync()).GetProperty("clientId").GetString()!;
        var a = await server.OwnedVehicleAsync();
        var b = await server.OwnedVehicleAsync(owner: a.Owner);
        using var oauth = new OAuthTestClient(server, clientId, Redirect);
        var tokens = await oauth.SignInWithCodeAsync(a.Owner.Email, a.Owner.Password, "read_charge read_location", ([a.Vin], ["read_charge"]));
        var app = server.ClientWith(tokens.GetProperty("access_token").GetString()!);

        var subscribed = await app.PostAsJsonAsync("/api/v1/app/webhooks", new { url = "https://charge-planner.example/hooks" });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var webhook = await subscribed.JsonAsync();
        var webhookId = webhook.GetProperty("id").GetString()!;
        Assert.Equal(clientId, webhook.GetProperty("app").GetString());
        // The owner sees it among the account's webhooks, with the app's name on it; the owner's own token cannot use the app's list.
        Assert.Contains((await (await a.Client.GetAsync("/api/v1/me/webhooks")).JsonAsync()).EnumerateArray(),
            w => w.GetProperty("id").GetString() == webhookId && w.GetProperty("app").GetString() == clientId);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.Client.GetAsync("/api/v1/app/webhooks")).StatusCode);
        Assert.Single((await (await app.GetAsync("/api/v1/app/webhooks")).JsonAsync()).EnumerateArray());

        await NotifyAsync(a.Vin, "charging.stopped");   // car A, read_charge: covered
        await NotifyAsync(a.Vin, "geofence.entered");   // car A, read_location: not given for A
        await NotifyAsync(a.Vin, "theft.case_opened");  // never sent to apps
        await NotifyAsync(b.Vin, "charging.stopped");   // car B: not in the consent
        Assert.Equal([(a.Vin, "charging.stopped")], await QueuedForAsync(webhookId));

        // The app lists the cars it was granted, each with its scopes; the owner lists the consent.
        var granted = Assert.Single((await (await app.GetAsync("/api/v1/app/vehicles")).JsonAsync()).EnumerateArray());
        Assert.Equal(a.Vin, granted.GetProperty("vin").GetString());
        Assert.Equal(["read_charge"], granted.GetProperty("scopes").EnumerateArray().Select(x => x.GetString()!).ToArray());

        // The owner withdraws car A: nothing more reaches the app.
        var consent = (await (await a.Client.GetAsync("/api/v1/me/app-consents")).JsonAsync()).EnumerateArray().Single();
        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.DeleteAsync($"/api/v1/me/app-consents/{consent.GetProperty("id").GetString()}")).StatusCode);
        await NotifyAsync(a.Vin, "charging.error");
        Assert.Equal([(a.Vin, "charging.stopped")], await QueuedForAsync(webhookId));
        Assert.Empty((await (await a.Client.GetAsync("/api/v1/me/app-consents")).JsonAsync()).EnumerateArray());

        // Both changes of the consent are in the owner's security log.
        var events = await server.Get<Database>().ReadAsync(c => c.QueryAsync<string>(
            "SELECT event FROM security_log WHERE account_id = @accountId AND event LIKE 'app_consent_%' ORDER BY id", new { accountId = a.AccountId }), CancellationToken.None);
        Assert.Equal(["app_consent_given", "app_consent_withdrawn"], events);
    }
}

public sealed class ThirdPartyWebhookOnSqlite(SqliteServer server) : ThirdPartyWebhookTests(server), IClassFixture<SqliteServer>;

public sealed class ThirdPartyWebhookOnPostgres(PostgresServer server) : ThirdPartyWebhookTests(server), IClassFixture<PostgresServer>;
