using System.Net.Http.Json;
using Microsoft.Playwright;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.SmartService;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The inbox in Debian's Chromium writes one notification in the page's language, its numbers in that language's
/// format and its date in the account's time zone.</summary>
public sealed class NotificationLanguagesPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task One_notification_reads_in_English_German_and_French_in_the_inbox()
    {
        var owned = await server.OwnedVehicleAsync();
        Assert.True((await owned.Client.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Europe/Berlin" })).IsSuccessStatusCode);
        var dueAt = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero); // 2 March in Berlin
        await server.Get<Database>().WriteAsync((c, t) => server.Get<INotifier>().NotifyAsync(c, t, new Notification(
            owned.Vin, SmartServiceNotifications.MaintenanceDue.Id,
            NotificationText.Of(SmartServiceNotifications.DueByOrAt,
                ("component", "Brake pads (front)"), ("state", "due soon"), ("dueAt", dueAt), ("odometerKm", 12345)),
            server.Clock.GetUtcNow(), "portal-languages")), CancellationToken.None);

        var page = await browser.SignedInPageAsync(server, owned.Owner);
        var expected = new Dictionary<string, (string Title, string Message)>
        {
            ["en"] = ("Maintenance due", "Brake pads (front): maintenance due soon, predicted by 2026-03-02 or at 12,345 km."),
            ["de"] = ("Wartung fällig", "Bremsbeläge (vorn): Wartung bald fällig, voraussichtlich bis 2026-03-02 oder bei 12.345 km."),
            ["fr"] = ("Entretien à prévoir", "Plaquettes de frein (avant) : entretien bientôt à faire, prévu d'ici le 2026-03-02 ou à 12\u202F345 km."),
        };
        foreach (var (language, (title, message)) in expected)
        {
            await page.Context.AddCookiesAsync([new Cookie
            {
                Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = server.Client.BaseAddress!.ToString(),
            }]);
            await page.GotoAsync("/account/notifications");
            var entry = page.Locator("#inbox li[data-type='service.due']");
            await Expect(entry.Locator(".message")).ToHaveTextAsync(message);
            await Expect(entry.Locator(".inbox-head strong")).ToHaveTextAsync(title);
            await PortalBrowser.ScreenshotAsync(page, $"notifications-inbox-{language}");
        }
    }
}
