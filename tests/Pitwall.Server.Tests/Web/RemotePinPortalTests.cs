using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>Issue 18's first owner story in Chromium: the remote PIN is set in the portal, so unlocking works there.</summary>
public sealed class RemotePinPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_owner_sets_a_remote_pin_in_the_profile_unlocks_the_car_with_it_and_changing_it_needs_the_password()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 21,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        var page = await browser.SignedInPageAsync(server, owned.Owner);

        await page.GotoAsync("/profile");
        var pin = page.Locator("#pin-form");
        await pin.GetByLabel("New PIN (4–8 digits)").FillAsync("12");
        await pin.GetByLabel("The new PIN again").FillAsync("12");
        await pin.GetByRole(AriaRole.Button, new() { Name = "Set the PIN" }).ClickAsync();
        await Expect(page.Locator("#newpin-error")).ToHaveTextAsync("The PIN is 4 to 8 digits.");
        await pin.GetByLabel("New PIN (4–8 digits)").FillAsync("4711");
        await pin.GetByLabel("The new PIN again").FillAsync("4712");
        await pin.GetByRole(AriaRole.Button, new() { Name = "Set the PIN" }).ClickAsync();
        await Expect(page.Locator("#repeatpin-error")).ToHaveTextAsync("The two PINs differ; type the same PIN twice.");
        await pin.GetByLabel("New PIN (4–8 digits)").FillAsync("4711");
        await pin.GetByLabel("The new PIN again").FillAsync("4711");
        await pin.GetByRole(AriaRole.Button, new() { Name = "Set the PIN" }).ClickAsync();
        await Expect(page.Locator("#pin-saved")).ToBeVisibleAsync();

        // Unlocking from the dashboard: the browser proves the PIN, the car unlocks.
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await page.GetByLabel("Remote PIN (it never leaves this browser)").FillAsync("4711");
        await page.Locator("#unlock-form").GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.Locator("#commands-panel tbody tr").First).ToHaveAttributeAsync("data-state", "performed", new() { Timeout = 30_000 });
        Assert.False(car.IsLocked);

        // Changing the PIN asks for the password; a wrong one keeps the old PIN.
        await page.GotoAsync("/profile");
        await pin.GetByLabel("New PIN (4–8 digits)").FillAsync("8888");
        await pin.GetByLabel("The new PIN again").FillAsync("8888");
        await pin.GetByLabel("Your password").FillAsync("not my password");
        await pin.GetByRole(AriaRole.Button, new() { Name = "Change the PIN" }).ClickAsync();
        await Expect(page.Locator("#pinpassword-error")).ToHaveTextAsync("Changing the PIN needs the account's current password.");
        await pin.GetByLabel("New PIN (4–8 digits)").FillAsync("8888");
        await pin.GetByLabel("The new PIN again").FillAsync("8888");
        await pin.GetByLabel("Your password").FillAsync(owned.Owner.Password);
        await pin.GetByRole(AriaRole.Button, new() { Name = "Change the PIN" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/profile\\?pinSaved=true$"));
    }
}
