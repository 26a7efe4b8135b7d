using Microsoft.Playwright;
using Pitwall.Server.Tests.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator.Cpo;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>Public charging in Debian's Chromium: start by the station's EVSE ID, the running charge follows the operator's meter
/// updates without a reload, stop it.</summary>
public sealed class PublicChargingPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task A_charge_started_in_the_portal_shows_energy_and_cost_live_and_stops_from_the_page()
    {
        var station = Stations.RhineNeckar()[5];
        var (driver, _) = await server.DriverWithCardAsync();
        await using var cpo = await server.RegisteredCpoAsync("LIV");
        await cpo.Client.PutLocationAsync(OcpiObjects.Location("DE", "LIV", station, server.Clock.GetUtcNow()), CancellationToken.None);
        var page = await browser.SignedInPageAsync(server, driver.Owner);
        await page.GotoAsync($"/vehicles/{driver.Vin}/public-charging");
        await Expect(page.Locator("#charging-live")).ToContainTextAsync("No charge is running");

        await page.GetByLabel("EVSE ID or the station's QR code").FillAsync((string)OcpiObjects.Evse("DE", "LIV", station, 1, "AVAILABLE", DateTimeOffset.UnixEpoch)["evse_id"]!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start charging here" }).ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync("Sent to the station's operator.");
        await cpo.Commands.IdleAsync();
        var session = page.Locator("#charging-live article.live-session");
        await Expect(session).ToHaveAttributeAsync("data-status", "ACTIVE");
        await Expect(session.Locator(".energy")).ToHaveTextAsync("0.00 kWh");
        await Expect(session.Locator(".car-state")).ToContainTextAsync(driver.Vin);

        // The operator's meter moves on: the page follows without a reload.
        server.Clock.Advance(TimeSpan.FromMinutes(12));
        await cpo.Commands.MeterAsync(CancellationToken.None);
        await Expect(session.Locator(".energy")).Not.ToHaveTextAsync("0.00 kWh");
        await Expect(session.Locator(".duration")).ToHaveTextAsync("12 min");
        await Expect(session.Locator(".cost")).Not.ToHaveTextAsync("0.00 EUR");
        await PortalBrowser.ScreenshotAsync(page, "public-charging-live");

        await session.GetByRole(AriaRole.Button, new() { Name = "Stop charging" }).ClickAsync();
        await cpo.Commands.IdleAsync();
        await Expect(page.Locator("#charging-live")).ToContainTextAsync("No charge is running");

        // The charge's CDR is in the history, with the month's total.
        await page.Locator("#history-link").ClickAsync();
        await Expect(page.Locator("#charging-history tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#charging-history tbody tr .energy")).Not.ToHaveTextAsync("0.00 kWh");
        await Expect(page.Locator("#charging-months tbody tr")).ToHaveCountAsync(1);
        await PortalBrowser.ScreenshotAsync(page, "charging-history");
    }
}
