using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Pitwall.Server.Tests.Infrastructure.CarSecuritySetup;

namespace Pitwall.Server.Tests.Web;

/// <summary>A stolen car says so wherever its owner looks first, in Debian's Chromium.</summary>
public sealed class TheftBannerPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_owner_sees_a_stolen_banner_on_the_cars_dashboard_and_in_the_vehicle_list_and_other_cars_have_none()
    {
        var (owned, _) = await server.SecuredVehicleAsync(SecurityDetails());
        var other = await server.OwnedVehicleAsync(owner: owned.Owner);
        await using var car = await server.ConnectCarAsync(owned, 61, Patience);
        var page = await browser.SignedInPageAsync(server, owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await Expect(page.Locator("#stolen-banner")).ToHaveCountAsync(0);

        Assert.True(await car.StartTheftAsync(TheftReason.UnauthorisedMovement));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience); // acked once the case is stored
        Assert.True(await server.Get<ITheftStatus>().IsStolenAsync(owned.Vin, CancellationToken.None));

        await page.GotoAsync("/vehicles");
        await Expect(page.Locator($"#vehicles [data-vin='{owned.Vin}'] .banner.stolen")).ToHaveTextAsync("Reported stolen");
        await Expect(page.Locator($"#vehicles [data-vin='{other.Vin}'] .banner")).ToHaveCountAsync(0);
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await Expect(page.Locator("#stolen-banner")).ToContainTextAsync("This car is reported stolen.");
        await Expect(page.Locator("#stolen-banner")).ToBeVisibleAsync();
        await PortalBrowser.ScreenshotAsync(page, "dashboard-stolen");
        await page.GotoAsync($"/vehicles/{other.Vin}");
        await Expect(page.Locator("#stolen-banner")).ToHaveCountAsync(0);
    }
}
