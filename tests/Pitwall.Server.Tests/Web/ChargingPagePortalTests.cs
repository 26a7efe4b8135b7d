using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The charging page in Debian's Chromium: outcomes where the command was given; nothing to charge in a petrol car.</summary>
public sealed class ChargingPagePortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task A_charge_start_refused_because_the_car_is_driving_shows_its_outcome_on_the_charging_page()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 25, StartLevel = 40,
        });
        await car.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await car.DriveAsync(TimeSpan.FromMinutes(1)); // and keeps driving
        var page = await browser.SignedInPageAsync(server, owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}/charging");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start charging" }).ClickAsync();
        var outcome = page.Locator("#charging-commands tbody tr").First;
        await Expect(outcome).ToHaveAttributeAsync("data-state", "failed");
        await Expect(outcome).ToContainTextAsync("Start charging");
        await Expect(outcome).ToContainTextAsync("driving");
        await PortalBrowser.ScreenshotAsync(page, "charging-refused");
    }

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
