using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The Alarms page (vehicle alarm D1, valet alarm D3) and the Notifications page in Debian's Chromium, against a
/// real server and a simulated car.</summary>
public sealed class AlarmsAndNotificationsPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private Task<IPage> SignedInAsync(TestUser user, string locale = "en-GB") => browser.SignedInPageAsync(server, user, locale);

    private async Task<SimulatedVehicle> ConnectAsync(OwnedVehicle owned, int seed, PrivacySettings? privacy = null)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = seed, Privacy = privacy,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    [Fact]
    public async Task The_owner_switches_the_valet_alarm_on_sees_the_speeding_live_and_switches_it_off_and_mistakes_are_explained_next_to_the_fields()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, 31);
        var page = await SignedInAsync(owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Vehicle" }).GetByRole(AriaRole.Link, new() { Name = "Alarms", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/vehicles/{owned.Vin}/alarms$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Alarms", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("#valet-state")).ToHaveAttributeAsync("data-state", "inactive");
        await Expect(page.Locator("#valet-events")).ToHaveTextAsync("Nothing reported yet.");

        // The same limits as the API, explained next to each field; the defaults are 50 km/h and 1 000 m.
        await Expect(page.GetByLabel("Speed limit (10–250 km/h)")).ToHaveValueAsync("50");
        await Expect(page.GetByLabel("Radius around the parking place (100–50 000 m)")).ToHaveValueAsync("1000");
        await page.GetByLabel("Speed limit (10–250 km/h)").FillAsync("5");
        await page.GetByLabel("Radius around the parking place (100–50 000 m)").FillAsync("60000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch the valet alarm on" }).ClickAsync();
        await Expect(page.Locator("#speed-error")).ToHaveTextAsync("Between 10 and 250 km/h.");
        await Expect(page.Locator("#valet-radius-error")).ToHaveTextAsync("Between 100 m and 50 km.");
        Assert.Null(await server.Get<Pitwall.Server.Features.ValetAlarm.ValetStore>().CurrentAsync(owned.Vin, CancellationToken.None));

        await page.GetByLabel("Speed limit (10–250 km/h)").FillAsync("50");
        await page.GetByLabel("Radius around the parking place (100–50 000 m)").FillAsync("1000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch the valet alarm on" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Valet alarm settings sent to the car");
        // The car applies the settings and reports the start with its parking position; the page follows without a reload.
        var state = page.Locator("#valet-state");
        await Expect(state).ToHaveAttributeAsync("data-state", "active");
        await Expect(state.Locator(".confirmed")).ToHaveTextAsync("confirmed by the car");
        await Expect(state).ToContainTextAsync("50 km/h");
        await Expect(state).ToContainTextAsync("1000 m");
        await Expect(page.Locator("#valet-events tr[data-kind='started']")).ToHaveCountAsync(1);
        await Expect(page.Locator("path.marker-parked")).ToHaveCountAsync(1);

        // Driven fast: the speeding appears live, in the history with its speed, and as a notice.
        await car.DriveAsync(TimeSpan.FromSeconds(20), speed: 20);
        var speeding = page.Locator("#valet-events tr[data-kind='speed_exceeded']");
        await Expect(speeding).ToContainTextAsync("Speed limit exceeded");
        var kmh = double.Parse(await speeding.Locator("td").Nth(2).InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.InRange(kmh, 50.1, 80);
        await Expect(page.Locator("#live-notices")).ToContainTextAsync("Valet alarm: your car is driving at");
        await Expect(page.Locator("path.marker-valet")).ToHaveCountAsync(2);
        await car.StopEngineAsync();
        await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.InteriorMotion);
        await Expect(page.Locator("#alarm-history tr[data-reason='interior_motion']")).ToContainTextAsync("Movement inside the car");
        await PortalBrowser.ScreenshotAsync(page, "alarms");

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch the valet alarm off" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Valet alarm switched off");
        await Expect(state).ToHaveAttributeAsync("data-state", "ended");
        await Expect(page.Locator("#valet-events tr[data-kind='ended']")).ToHaveCountAsync(1);
        Assert.False(car.Valet.Active);
    }

    [Fact]
    public async Task An_alarm_appears_live_in_the_history_with_its_position_and_as_a_new_inbox_entry_that_can_be_marked_read()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, 32);
        var page = await SignedInAsync(owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}/alarms");
        await Expect(page.Locator("#alarm-history")).ToHaveTextAsync("No alarms.");
        var inbox = await page.Context.NewPageAsync();
        await inbox.GotoAsync("/");
        await inbox.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Notifications" }).ClickAsync();
        await Expect(inbox).ToHaveURLAsync(new Regex("/account/notifications$"));
        await Expect(inbox.Locator("#inbox")).ToHaveTextAsync("No notifications yet.");

        await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.Glass);
        var alarm = page.Locator("#alarm-history tr[data-reason='glass']");
        await Expect(alarm).ToContainTextAsync("Glass was broken");
        await Expect(alarm.Locator("a.position")).ToContainTextAsync(
            FormattableString.Invariant($"{car.Position.Latitude:0.00000}, {car.Position.Longitude:0.00000}"));
        await Expect(page.Locator("path.marker-alarm")).ToHaveCountAsync(1);

        var entry = inbox.Locator("#inbox li[data-type='alarm.triggered']");
        await Expect(entry).ToContainTextAsync("Vehicle alarm");
        await Expect(entry).ToContainTextAsync("Your car's alarm went off: glass was broken.");
        await Expect(entry).ToHaveAttributeAsync("data-read", "false");
        await Expect(entry).ToContainTextAsync("In the portal and app: delivered");
        await entry.GetByRole(AriaRole.Button, new() { Name = "Mark as read" }).ClickAsync();
        await Expect(inbox.Locator("#inbox li[data-type='alarm.triggered']")).ToHaveAttributeAsync("data-read", "true");
        var stored = Assert.Single(await server.Get<NotificationStore>().InboxAsync(owned.AccountId, false, 10, CancellationToken.None));
        Assert.NotNull(stored.ReadAt);
    }

    [Fact]
    public async Task The_inbox_names_cars_by_model_and_registration_the_header_counts_the_unread_and_all_are_marked_read_at_once()
    {
        var owned = await server.OwnedVehicleAsync();
        await server.Get<Database>().WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE vehicles SET registration_number = 'S-PW 911' WHERE vin = @vin", new { vin = owned.Vin }, t), CancellationToken.None);
        await using (var car = await ConnectAsync(owned, 36))
        {
            await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.Glass);
            await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.TiltTow);
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        var page = await SignedInAsync(owned.Owner);
        await page.GotoAsync("/");
        var notifications = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Notifications" });
        await Expect(notifications).ToHaveAccessibleNameAsync(new Regex(@"^Notifications\s*unread:\s*2$"));
        await Expect(page.Locator("#unread-count")).ToHaveTextAsync(new Regex("2$"));
        await notifications.ClickAsync();

        var entries = page.Locator("#inbox li");
        await Expect(entries).ToHaveCountAsync(2);
        await Expect(entries.Locator(".car")).ToHaveTextAsync(["Taycan · S-PW 911", "Taycan · S-PW 911"]);
        await Expect(page.Locator("#inbox")).Not.ToContainTextAsync(owned.Vin);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark all as read" }).ClickAsync();
        await Expect(page.Locator("#inbox li[data-read='false']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#unread-count")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mark all as read" })).ToHaveCountAsync(0);
        Assert.Equal(0, (await (await owned.Client.GetAsync("/api/v1/me/notifications/unread-count")).JsonAsync()).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Choices_quiet_hours_devices_and_webhooks_are_saved_with_the_APIs_rules_and_mistakes_are_explained_next_to_the_fields()
    {
        var owned = await server.OwnedVehicleAsync();
        var (owner, api, accountId) = (owned.Owner, owned.Client, owned.AccountId);
        (await api.PostAsJsonAsync("/api/v1/me/push-devices", new { platform = "fcm", token = "device-token-1", name = "Anna's phone" })).EnsureSuccessStatusCode();
        await using (var car = await ConnectAsync(owned, 34))
        {
            await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.TiltTow);
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        var page = await SignedInAsync(owner);
        await page.GotoAsync("/profile");
        await page.Locator("#notifications-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/notifications$"));
        // Each channel's delivery status, live: the phone was registered, but this server offers no push provider.
        var entry = page.Locator("#inbox li[data-type='alarm.triggered']");
        await Expect(entry).ToContainTextAsync("the car was tilted or towed");
        await Expect(entry.Locator("[data-channel='push']")).ToHaveTextAsync("Push: skipped: not offered by this service");

        // A table type × channel with headers a screen reader announces; in-app is always on.
        var table = page.Locator("#preferences");
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "SMS" })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Rowheader, new() { Name = "Valet alarm: speed" })).ToBeVisibleAsync();
        var alarmPush = page.GetByLabel("Vehicle alarm: Push", new() { Exact = true });
        var speedEmail = page.GetByLabel("Valet alarm: speed: E-mail", new() { Exact = true });
        await Expect(alarmPush).ToBeCheckedAsync();
        await Expect(speedEmail).Not.ToBeCheckedAsync();
        await Expect(page.GetByLabel("Vehicle alarm: In the portal and app", new() { Exact = true })).ToBeDisabledAsync();

        await alarmPush.UncheckAsync();
        await speedEmail.CheckAsync();
        await page.GetByLabel("Hold notifications at these times").CheckAsync();
        await page.Locator("#QuietFrom").FillAsync("22:30");
        await page.Locator("#QuietTo").FillAsync("06:45");
        await page.GetByLabel("Time zone (e.g. Europe/Berlin)").FillAsync("Mars/Olympus_Mons");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my choices" }).ClickAsync();
        await Expect(page.Locator("#quiet-zone-error")).ToHaveTextAsync("An IANA time zone, e.g. Europe/Berlin.");
        await Expect(alarmPush).Not.ToBeCheckedAsync(); // the table comes back as posted, nothing saved
        Assert.Null((await server.Get<NotificationSettings>().PreferencesAsync(accountId, CancellationToken.None)).QuietHours);

        await page.GetByLabel("Time zone (e.g. Europe/Berlin)").FillAsync("Europe/Paris");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my choices" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your choices are saved.");
        await Expect(alarmPush).Not.ToBeCheckedAsync();
        await Expect(speedEmail).ToBeCheckedAsync();
        var saved = await server.Get<NotificationSettings>().PreferencesAsync(accountId, CancellationToken.None);
        Assert.False(saved.Types.Single(t => t.Type == "alarm.triggered").Channels["push"]);
        Assert.True(saved.Types.Single(t => t.Type == "valet.speed_exceeded").Channels["email"]);
        Assert.True(saved.Types.Single(t => t.Type == "valet.speed_exceeded").Channels["sms"]);
        Assert.Equal(new QuietHoursDto("22:30", "06:45", "Europe/Paris"), saved.QuietHours);

        // Webhooks: the API's URL rule; the secret is shown once, right after adding.
        await page.GetByLabel("URL (https)").FillAsync("ftp://example.com/hook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the webhook" }).ClickAsync();
        await Expect(page.Locator("#webhook-url-error")).ToContainTextAsync("An absolute https URL");
        await page.GetByLabel("URL (https)").FillAsync("http://93.184.216.34/hook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the webhook" }).ClickAsync();
        await Expect(page.Locator("#webhook-url-error")).ToHaveTextAsync("The URL must start with https://.");
        await Expect(page.GetByLabel("URL (https)")).ToHaveValueAsync("http://93.184.216.34/hook"); // kept to correct it
        await page.GetByLabel("URL (https)").FillAsync("https://169.254.169.254/latest/meta-data");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the webhook" }).ClickAsync();
        await Expect(page.Locator("#webhook-url-error")).ToContainTextAsync("The host must be reachable on the internet");
        await page.GetByLabel("URL (https)").FillAsync("https://hooks.example.com/pitwall");
        await page.Locator("#webhook-form").GetByLabel("Vehicle alarm").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the webhook" }).ClickAsync();
        await Expect(page.Locator("#webhook-secret code")).ToHaveTextAsync(new Regex("^whsec_"));
        var webhook = Assert.Single(await server.Get<NotificationStore>().WebhooksAsync(accountId, CancellationToken.None));
        Assert.Equal(webhook.Secret, await page.Locator("#webhook-secret code").TextContentAsync());
        Assert.Equal(["alarm.triggered"], webhook.Types);
        await Expect(page.Locator("#webhooks tr[data-webhook]")).ToContainTextAsync("https://hooks.example.com/pitwall");
        await Expect(page.Locator("#webhooks tr[data-webhook]")).ToContainTextAsync("Vehicle alarm");
        await Expect(page.Locator("#webhooks tr[data-webhook]")).ToHaveAttributeAsync("data-state", "active");
        await Expect(page.Locator("#devices tr[data-device]")).ToContainTextAsync("Anna's phone");
        await page.SetViewportSizeAsync(360, 740);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling at phone width");
        await page.SetViewportSizeAsync(1280, 900);
        await PortalBrowser.ScreenshotAsync(page, "notifications");

        await page.ReloadAsync();
        await Expect(page.Locator("#webhook-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(webhook.Secret, await page.ContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove the webhook https://hooks.example.com/pitwall" }).ClickAsync();
        await Expect(page.Locator("#webhooks")).ToHaveTextAsync("No webhooks.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove the device Anna's phone" }).ClickAsync();
        await Expect(page.Locator("#devices")).ToHaveTextAsync("No devices.");
        Assert.Empty(await server.Get<NotificationStore>().DevicesAsync(accountId, CancellationToken.None));
    }

    [Fact]
    public async Task With_location_services_off_the_valet_alarm_is_refused_as_a_message_and_a_stranger_gets_404()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, 33, new PrivacySettings { LocationServicesDisabled = true });
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var page = await SignedInAsync(owned.Owner, "de-DE");
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await page.GotoAsync($"/vehicles/{owned.Vin}/alarms");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Alarme", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("#alarm-title")).ToHaveTextAsync("Fahrzeugalarm");
        await Expect(page.Locator("#valet-refused")).ToHaveTextAsync("Der Valet-Alarm oder die Dienste mit Standort sind im Fahrzeug ausgeschaltet.");
        await Expect(page.Locator("#valet-form")).ToHaveCountAsync(0);

        // An alarm without location services is kept without its position, and says so.
        await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.Door);
        await Expect(page.Locator("#alarm-history tr[data-reason='door']")).ToContainTextAsync("keine Position (Standortdienste aus)");

        // At phone width nothing spills sideways, and the page (Leaflet included) stays small.
        var responses = new System.Collections.Concurrent.ConcurrentQueue<IResponse>();
        page.Response += (_, response) => responses.Enqueue(response);
        await page.SetViewportSizeAsync(360, 740);
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Load });
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling at phone width");
        long bytes = 0;
        foreach (var response in responses.ToArray().Where(r => !r.Url.Contains("/portal/events", StringComparison.Ordinal) && !r.Url.Contains("/tiles/", StringComparison.Ordinal)))
        {
            bytes += (await response.BodyAsync()).Length;
        }
        Assert.InRange(bytes, 1, 300 * 1024);

        var stranger = await SignedInAsync(await server.NewOwnerAsync());
        Assert.Equal(404, (await stranger.GotoAsync($"/vehicles/{owned.Vin}/alarms"))!.Status);
        Assert.Equal(404, (await stranger.GotoAsync($"/vehicles/{owned.Vin}/alarms?handler=Panels"))!.Status);
        await Expect(stranger.Locator("h1")).ToHaveTextAsync("Not found");
    }
}
