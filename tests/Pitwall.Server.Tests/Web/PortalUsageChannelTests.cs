using Microsoft.Playwright;
using Pitwall.Protocol;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>C8: what the web portal uses passes the same gate as the API and is counted under the web portal's channel, not
/// the app's.</summary>
public sealed class PortalUsageChannelTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task Areas_shown_and_a_command_sent_in_the_portal_count_as_web_portal_uses()
    {
        var owned = await server.OwnedVehicleAsync();
        var before = await CountsAsync();

        var page = await browser.SignedInPageAsync(server, owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}/geofences");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await page.Locator("button[data-command='flash']").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Flash lights");

        var after = await CountsAsync();
        Assert.Equal(before[(ServiceIds.LocationAlarm, "web")] + 1, after[(ServiceIds.LocationAlarm, "web")]);
        Assert.Equal(before[(ServiceIds.RemoteHornAndLights, "web")] + 1, after[(ServiceIds.RemoteHornAndLights, "web")]);
        Assert.Equal(before[(ServiceIds.LocationAlarm, "app")], after[(ServiceIds.LocationAlarm, "app")]);
        Assert.Equal(before[(ServiceIds.RemoteHornAndLights, "app")], after[(ServiceIds.RemoteHornAndLights, "app")]);
    }

    [Fact]
    public async Task Showing_the_status_page_counts_one_web_portal_use_of_car_control_and_car_finder_and_its_live_refresh_none()
    {
        var owned = await server.OwnedVehicleAsync();
        var page = await browser.SignedInPageAsync(server, owned.Owner);
        var before = await CountsAsync();

        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        Assert.True((await page.GotoAsync($"/vehicles/{owned.Vin}?handler=StatusPanel"))!.Ok);

        var after = await CountsAsync();
        Assert.Equal(before[(ServiceIds.CarControl, "web")] + 1, after[(ServiceIds.CarControl, "web")]);
        Assert.Equal(before[(ServiceIds.CarFinder, "web")] + 1, after[(ServiceIds.CarFinder, "web")]);
        Assert.Equal(before[(ServiceIds.CarControl, "app")], after[(ServiceIds.CarControl, "app")]);
    }

    private async Task<Dictionary<(string Service, string Channel), long>> CountsAsync()
    {
        var usage = server.Get<Pitwall.Server.Features.UsageStatistics.UsageStatistics>();
        await usage.FlushAsync(CancellationToken.None);
        var today = DateOnly.FromDateTime(server.Clock.GetUtcNow().UtcDateTime);
        var rows = await usage.ReportAsync(today, today, CancellationToken.None);
        var counts = new Dictionary<(string, string), long>();
        foreach (var service in new[] { ServiceIds.LocationAlarm, ServiceIds.RemoteHornAndLights, ServiceIds.CarControl, ServiceIds.CarFinder })
        {
            foreach (var channel in new[] { "web", "app" })
            {
                counts[(service, channel)] = rows.Where(r => r.Service == service && r.Channel == channel).Sum(r => r.Count);
            }
        }
        return counts;
    }
}
