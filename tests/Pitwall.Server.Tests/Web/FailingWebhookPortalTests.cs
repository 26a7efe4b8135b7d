using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.ValetAlarm;
using Pitwall.Server.Tests.Features.Notifications;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The owner's notification settings show a webhook whose receiver keeps failing as failing, with its last error, in
/// Debian's Chromium.</summary>
public sealed class FailingWebhookPortalTests(DeliverySqliteServer server, PortalBrowser browser) : IClassFixture<DeliverySqliteServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task A_webhook_whose_receiver_keeps_failing_shows_as_failing_with_its_last_error()
    {
        var owned = await server.OwnedVehicleAsync();
        server.Peers.WebhookStatus = path => path == "/portal-down" ? 503 : 204;
        Assert.True((await owned.Client.PostAsJsonAsync("/api/v1/me/webhooks", new { url = server.Peers.Webhooks.Url("/portal-down") })).IsSuccessStatusCode);
        for (var i = 0; i < WebhookState.FailingAfter; i++)
        {
            await server.Get<Database>().WriteAsync((c, t) => server.Get<INotifier>().NotifyAsync(c, t, new Notification(
                owned.Vin, ValetNotifications.ValetEnded.Id, NotificationText.Of(ValetNotifications.Ended), server.Clock.GetUtcNow(), $"portal-down-{i}")),
                CancellationToken.None);
        }
        // Each first attempt failed and was recorded.
        await NotificationInbox.WaitForDeliveriesAsync(owned.Client,
            inbox => inbox.Count(n => NotificationInbox.DeliveriesByChannel(n)["webhook"] is var d && d.GetProperty("lastError").ValueKind == JsonValueKind.String),
            count => count == WebhookState.FailingAfter);

        var page = await browser.SignedInPageAsync(server, owned.Owner);
        await page.GotoAsync("/account/notifications");
        var row = page.Locator("#webhooks tr[data-webhook]");
        await Expect(row).ToHaveAttributeAsync("data-state", "failing");
        await Expect(row).ToContainTextAsync("failing since");
        await Expect(row).ToContainTextAsync("Last error:");
        await Expect(row).ToContainTextAsync("503");
        await PortalBrowser.ScreenshotAsync(page, "notifications-webhook-failing");
    }
}
