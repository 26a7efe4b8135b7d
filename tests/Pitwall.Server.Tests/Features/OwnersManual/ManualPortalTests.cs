using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Features.OwnersManual;

/// <summary>The portal's owner's manual in Debian's Chromium against a real server.</summary>
public sealed class ManualPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task The_owner_creates_a_profile_searches_opens_a_section_with_its_drawing_and_keeps_it_as_a_favourite()
    {
        var owned = await server.OwnedVehicleAsync("Taycan", 2025);
        var page = await browser.SignedInPageAsync(server, owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Vehicle" }).GetByRole(AriaRole.Link, new() { Name = "Manual" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/vehicles/{owned.Vin}/manual$"));

        // First use: the manual asks for a usage profile.
        await page.GetByLabel("Your name").FillAsync("Alex Reader");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the profile" }).ClickAsync();
        await Expect(page.Locator("#manual-contents")).ToContainTextAsync("Charging port and cable"); // an electric car's chapters
        await Expect(page.Locator("#manual-contents")).Not.ToContainTextAsync("Engine oil");

        await page.GetByLabel("Search the manual").FillAsync("tyre pressu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        var first = page.Locator("#manual-results li").First;
        await Expect(first).ToHaveAttributeAsync("data-section", "tyre-pressure");
        await first.GetByRole(AriaRole.Link).ClickAsync();
        var section = page.Locator("#manual-section");
        await Expect(section.GetByRole(AriaRole.Heading, new() { Name = "Tyre pressure" })).ToBeVisibleAsync();
        var drawingWidth = await section.Locator("img.manual-drawing").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0");
        Assert.True(drawingWidth > 0, "the drawing loads");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add to favourites" }).ClickAsync();
        await Expect(page.Locator("#manual-favourites")).ToContainTextAsync("Tyre pressure");
        await Expect(page.Locator("#manual-recent")).ToContainTextAsync("Tyre pressure");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove from favourites" })).ToBeVisibleAsync();

        // A warning message's link opens the section that explains it.
        await page.GotoAsync($"/vehicles/{owned.Vin}/manual?warning=brake_pad_wear");
        await Expect(page.Locator("#manual-section")).ToHaveAttributeAsync("data-section", "brakes");
        await PortalBrowser.ScreenshotAsync(page, "manual");

        await page.SetViewportSizeAsync(360, 740);
        await page.ReloadAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than the phone");
    }
}
