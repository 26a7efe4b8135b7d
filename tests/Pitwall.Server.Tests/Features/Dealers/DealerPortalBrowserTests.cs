using System.Globalization;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Features.Dealers;

/// <summary>The owner's dealer page and the dealer console in Debian's Chromium against a real server.</summary>
public sealed class DealerPortalBrowserTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task The_owner_chooses_a_dealer_and_books_the_dealer_confirms_in_its_console_and_reads_the_car_and_the_owner_sees_both()
    {
        var setup = new DealerSetup(server);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var dealerId = await setup.DealerAsync($"Autohaus Portal {tag}");
        var staffEmail = $"staff-{tag}@example.com";
        var admin = await setup.AdminAsync();
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(admin, $"/api/v1/admin/dealers/{dealerId}/staff",
            new { email = staffEmail, name = "Sam Service", password = "a dealer password" })).EnsureSuccessStatusCode();
        var owned = await server.OwnedVehicleAsync();
        var owner = await browser.SignedInPageAsync(server, owned.Owner);

        await owner.GotoAsync($"/vehicles/{owned.Vin}");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Dealer", Exact = true }).ClickAsync();
        await Expect(owner.Locator("#preferred-dealer")).ToContainTextAsync("No dealer chosen.");
        await owner.GetByLabel("Name, city or postal code").FillAsync($"Portal {tag}");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await owner.Locator($"#dealer-directory li[data-dealer='{dealerId}'] button").ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("Your dealer is chosen.");
        await Expect(owner.Locator("#preferred-dealer")).ToContainTextAsync($"Autohaus Portal {tag}");

        // A wished time outside the opening hours is explained; one within them goes to the dealer.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, berlin).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await owner.GetByLabel("Wished time 1 (the dealer's local time)").FillAsync(Local(setup.Weekday(3, 21)));
        await owner.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Expect(owner.Locator("#request-form")).ToContainTextAsync("opening hours");
        var slot = setup.Weekday(3, 10);
        await owner.GetByLabel("Wished time 1 (the dealer's local time)").FillAsync(Local(slot));
        await owner.GetByLabel("Reason (empty: what is due)").FillAsync("Squeaking brakes");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("Your request went to the dealer");
        await Expect(owner.Locator("#appointments tbody tr")).ToHaveAttributeAsync("data-state", "requested");

        // A dealer's account lands in its console.
        var dealer = await browser.NewPageAsync(server);
        await dealer.GotoAsync("/signin");
        await dealer.Locator("#Email").FillAsync(staffEmail);
        await dealer.Locator("#Password").FillAsync("a dealer password");
        await dealer.Locator("main button[type=submit]").ClickAsync();
        await Expect(dealer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dealer$"));
        var row = dealer.Locator("#dealer-appointments tbody tr");
        await Expect(row).ToContainTextAsync("Squeaking brakes");
        await row.Locator("form.confirm button").ClickAsync();
        await Expect(dealer.GetByRole(AriaRole.Status)).ToContainTextAsync("The appointment is confirmed");
        await Expect(row).ToHaveAttributeAsync("data-state", "confirmed");
        await row.GetByRole(AriaRole.Link, new() { Name = owned.Vin }).ClickAsync();
        await Expect(dealer.Locator("h1")).ToContainTextAsync(owned.Vin);
        await Expect(dealer.Locator("#dealer-health")).ToBeVisibleAsync();

        await owner.ReloadAsync();
        await Expect(owner.Locator("#appointments tbody tr")).ToHaveAttributeAsync("data-state", "confirmed");
        await Expect(owner.GetByRole(AriaRole.Link, new() { Name = "Add to calendar" })).ToBeVisibleAsync();
        await Expect(owner.Locator("#dealer-reads tbody tr")).ToHaveCountAsync(3);
        await Expect(owner.Locator("#dealer-reads")).ToContainTextAsync($"Autohaus Portal {tag}");

        // Another dealer's console does not open the car.
        var other = await setup.StaffAsync(await setup.DealerAsync($"Andere {tag}"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await other.Client.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/health")).StatusCode);
        await PortalBrowser.ScreenshotAsync(owner, "dealer-owner");
    }
}
