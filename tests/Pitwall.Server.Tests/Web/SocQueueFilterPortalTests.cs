using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Pitwall.Server.Tests.Infrastructure.CarSecuritySetup;

namespace Pitwall.Server.Tests.Web;

/// <summary>The security centre's queue found by VIN and filtered, in Debian's Chromium; the filter holds while the queue
/// updates live.</summary>
public sealed class SocQueueFilterPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_operator_finds_a_case_by_a_VIN_fragment_and_filters_the_queue_to_the_cases_they_hold()
    {
        var (first, _) = await server.SecuredVehicleAsync(SecurityDetails());
        var (second, _) = await server.SecuredVehicleAsync(SecurityDetails());
        await using var firstCar = await server.ConnectCarAsync(first, 81, Patience);
        await using var secondCar = await server.ConnectCarAsync(second, 82, Patience);
        Assert.True(await firstCar.StartTheftAsync(TheftReason.UnauthorisedMovement));
        await firstCar.WaitUntilAllAckedAsync().WaitAsync(Patience);

        var (_, email) = await server.CreateStaffAsync("soc_operator", "Olga Operator");
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(StaffPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/soc$"));

        await page.GetByLabel("Find (VIN or case id)").FillAsync(second.Vin[^5..].ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#queue")).ToContainTextAsync("None of the");
        Assert.True(await secondCar.StartTheftAsync(TheftReason.Tampering)); // arrives live, and matches the search
        await Expect(page.Locator($"#queue tr[data-vin='{second.Vin}']")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#queue tr[data-vin='{first.Vin}']")).ToHaveCountAsync(0);

        await page.Locator($"#queue tr[data-vin='{second.Vin}']").GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/soc/cases/"));
        await page.GotoAsync("/soc?show=mine");
        await Expect(page.Locator("#queue tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#queue tr[data-vin='{second.Vin}']")).ToHaveCountAsync(1);
        await page.GetByLabel("Show").SelectOptionAsync("unassigned");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator($"#queue tr[data-vin='{first.Vin}']")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#queue tr[data-vin='{second.Vin}']")).ToHaveCountAsync(0);
        await PortalBrowser.ScreenshotAsync(page, "soc-queue-filtered");
    }
}
