using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Features.Breakdown;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The assistance centre's live queue and case page, and the owner's breakdown page, in Debian's Chromium against a real
/// server and a simulated car that breaks down (F2).</summary>
public sealed class AssistancePortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task A_breakdown_appears_in_the_agents_queue_without_a_reload_and_the_agent_sends_help_from_the_case_page()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await server.ConnectAsync(owned, seed: 51);
        var (_, email) = await server.CreateStaffAsync("assistance_agent", "Alex Agent");

        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(CarSecuritySetup.StaffPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/assistance$"));
        await Expect(page.Locator("#feed-state")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator("#queue")).ToHaveAttributeAsync("data-count", "0");

        await car.BreakDownAsync(BreakdownKind.Overheating);
        var row = page.Locator("#queue tr[data-kind=breakdown]");
        await Expect(row).ToHaveCountAsync(1); // no reload: the feed re-read the queue
        await row.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/assistance/cases/bd-"));
        await Expect(page.Locator("#diagnosis")).ToHaveAttributeAsync("data-severity", "do_not_drive");
        await Expect(page.Locator("#case-map")).ToBeVisibleAsync();

        await page.Locator("input[name=etaMinutes]").FillAsync("25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record and tell the driver" }).ClickAsync();
        await Expect(page.Locator("#case-state")).ToContainTextAsync("help sent");
        await Expect(page.Locator("#timeline-panel li[data-kind=driver_notified]")).ToHaveCountAsync(1);

        // The driver's page, in German: the call and its progress.
        var owner = await browser.SignedInPageAsync(server, owned.Owner, "de-DE");
        await owner.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await owner.GotoAsync($"/vehicles/{owned.Vin}/breakdown");
        await Expect(owner.Locator("#calls li[data-state=help_sent]")).ToContainTextAsync("Pannenhilfe unterwegs");
        await Expect(owner.Locator("#call-title")).ToHaveTextAsync("Pannenhilfe rufen");
    }
}
