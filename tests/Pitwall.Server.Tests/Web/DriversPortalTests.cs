using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>Issue 18, owners: drivers are invited and removed, and the car unpaired, in the portal (the "Drivers" tab).</summary>
public sealed class DriversPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task The_owner_invites_a_driver_who_then_sees_the_car_removes_the_driver_and_unpairs_the_car()
    {
        var owned = await server.OwnedVehicleAsync();
        var driver = await server.NewOwnerAsync();
        var page = await browser.SignedInPageAsync(server, owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await page.Locator(".tabs").GetByRole(AriaRole.Link, new() { Name = "Drivers" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/vehicles/{owned.Vin}/users$"));
        await Expect(page.Locator("#users tbody tr")).ToHaveCountAsync(1);

        var invite = page.Locator("#invite-form");
        await invite.GetByLabel("E-mail address of the driver's account").FillAsync("nobody-here@example.com");
        await invite.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        await Expect(page.Locator("#email-error")).ToHaveTextAsync("No account has this e-mail address; the driver registers first.");
        await Expect(invite.GetByLabel("E-mail address of the driver's account")).ToHaveValueAsync("nobody-here@example.com");
        await invite.GetByLabel("E-mail address of the driver's account").FillAsync(driver.Email);
        await invite.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Test Owner can now use the car as a driver.");
        var row = page.Locator("#users tbody tr[data-role=driver]");
        await Expect(row).ToContainTextAsync(driver.Email);

        // The driver sees the car, and on its drivers tab neither the invitation nor the unpairing.
        var driverPage = await browser.SignedInPageAsync(server, driver);
        await Expect(driverPage.Locator($"a[href='/vehicles/{owned.Vin}']").First).ToBeVisibleAsync();
        await driverPage.GotoAsync($"/vehicles/{owned.Vin}/users");
        await Expect(driverPage.Locator("#invite-form")).ToHaveCountAsync(0);
        await Expect(driverPage.Locator("#unpair-form")).ToHaveCountAsync(0);
        await Expect(driverPage.GetByRole(AriaRole.Button, new() { Name = "Stop using this car" })).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Remove Test Owner" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The driver no longer has access to the car.");
        await Expect(page.Locator("#users tbody tr")).ToHaveCountAsync(1);
        await driverPage.GotoAsync("/vehicles");
        await Expect(driverPage.Locator($"a[href='/vehicles/{owned.Vin}']")).ToHaveCountAsync(0);

        // Unpairing asks for the confirmation first.
        var unpair = page.Locator("#unpair-form");
        await unpair.GetByRole(AriaRole.Button, new() { Name = "Unpair the car" }).ClickAsync();
        await Expect(page.Locator("#confirmunpair-error")).ToHaveTextAsync("Tick the box to confirm that every user loses access to the car.");
        await unpair.GetByLabel("I understand that every user loses access to the car.").CheckAsync();
        await unpair.GetByRole(AriaRole.Button, new() { Name = "Unpair the car" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/vehicles$"));
        await Expect(page.Locator($"a[href='/vehicles/{owned.Vin}']")).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}")).StatusCode);
    }
}
