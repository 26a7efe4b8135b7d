using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>A car without a traction battery in Debian's Chromium: the charging page offers climate, nothing to charge.</summary>
public sealed class PetrolCarPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task A_petrol_car_gets_no_charging_controls_or_charge_timers_but_keeps_climate()
    {
        var owned = await server.OwnedVehicleAsync("911 Carrera", 2019);
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 24, Powertrain = Powertrain.Combustion,
        });
        await car.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var page = await browser.SignedInPageAsync(server, owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}/charging");

        await Expect(page.Locator("#charging")).ToHaveTextAsync("This car has no traction battery: there is nothing to charge.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start charging" })).ToHaveCountAsync(0);
        await Expect(page.Locator("#charge-actions")).ToHaveCountAsync(0);
        await Expect(page.Locator("#TimerKind option")).ToHaveCountAsync(1);
        await Expect(page.Locator("#TimerKind option")).ToHaveAttributeAsync("value", "climate");
        await Expect(page.Locator("#climate-actions")).ToBeVisibleAsync();
        await PortalBrowser.ScreenshotAsync(page, "charging-petrol-car");
    }
}
