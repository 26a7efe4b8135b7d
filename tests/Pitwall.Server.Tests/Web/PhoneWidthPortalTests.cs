using System.Net.Http.Json;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Server.Web;
using static Microsoft.Playwright.Assertions;
using static Pitwall.Server.Tests.Infrastructure.CarSecuritySetup;

namespace Pitwall.Server.Tests.Web;

/// <summary>Every page at a phone's 375 px in Debian's Chromium: nothing scrolls sideways; a table too wide scrolls in its own
/// box and says so.</summary>
public sealed class PhoneWidthPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private const int PhoneWidth = 375;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task No_page_of_any_role_scrolls_sideways_at_375_px()
    {
        // Content that makes pages wide: a stolen car with a case, an alarm area, a car that reported its status.
        var (owned, _) = await server.SecuredVehicleAsync(SecurityDetails());
        await using var car = await server.ConnectCarAsync(owned, 71, Patience);
        var area = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/geofences",
            new { name = "Office in the Stuttgart city centre", latitude = 48.8342, longitude = 9.1522, radiusMetres = 300, notify = "both" });
        area.EnsureSuccessStatusCode();
        Assert.True(await car.StartTheftAsync(TheftReason.UnauthorisedMovement));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);

        var owner = await browser.SignedInPageAsync(server, owned.Owner);
        var ownerPages = new List<string> { "/vehicles", "/account/notifications", "/profile", "/privacy", $"/vehicles/{owned.Vin}" };
        ownerPages.AddRange(server.Get<VehicleTabs>().All.Select(tab => $"/vehicles/{owned.Vin}{tab.Path}"));
        var wide = await WidePagesAsync(owner, ownerPages);

        foreach (var (role, pages) in new (string, string[])[]
        {
            ("soc_operator", ["/soc"]),
            ("authority", ["/authority"]),
            ("assistance_agent", ["/assistance"]),
            ("admin", ["/admin", "/admin/vehicles", $"/admin/vehicles/{owned.Vin}", "/admin/users", "/admin/clients", "/admin/packages", "/admin/privacy"]),
        })
        {
            var (_, email) = await server.CreateStaffAsync(role, "Staff Member");
            var page = await browser.NewPageAsync(server);
            await page.GotoAsync("/signin");
            await page.Locator("#Email").FillAsync(email);
            await page.Locator("#Password").FillAsync(StaffPassword);
            await page.Locator("main button[type=submit]").ClickAsync();
            await Expect(page.Locator("header nav")).ToContainTextAsync("Sign out");
            wide.AddRange(await WidePagesAsync(page, pages));
        }
        Assert.True(wide.Count == 0, "Scroll sideways at 375 px: " + string.Join(", ", wide));
    }

    [Fact]
    public async Task A_table_too_wide_for_a_phone_scrolls_in_its_box_and_says_so()
    {
        var (_, email) = await server.CreateStaffAsync("soc_operator", "Staff Member");
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(StaffPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.SetViewportSizeAsync(PhoneWidth, 800);
        await page.GotoAsync("/soc");
        var queue = page.Locator(".scroll:has(#queue)");
        await Expect(queue).ToHaveAttributeAsync("data-overflowing", "true");
        await Expect(queue).ToHaveAttributeAsync("tabindex", "0"); // reachable by keyboard to scroll it
        var hint = page.Locator(".scroll-hint").First;
        await Expect(hint).ToBeVisibleAsync();
        await Expect(hint).ToHaveTextAsync("Scroll sideways to see the whole table.");
        await PortalBrowser.ScreenshotAsync(page, "soc-queue-375");
        await page.SetViewportSizeAsync(1280, 900);
        await Expect(queue).ToHaveAttributeAsync("data-overflowing", "false");
        await Expect(hint).ToBeHiddenAsync(); // wide enough: no word about scrolling
    }

    private static async Task<List<string>> WidePagesAsync(IPage page, IEnumerable<string> paths)
    {
        await page.SetViewportSizeAsync(PhoneWidth, 800);
        var wide = new List<string>();
        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response?.Ok == true, $"{path} answered {response?.Status}");
            await page.WaitForLoadStateAsync(LoadState.Load);
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (width > PhoneWidth)
            {
                // The innermost boxes that reach past the screen, outside maps' clipped tiles and tables' own scroll boxes.
                var culprit = await page.EvaluateAsync<string>(
                    """
                    () => {
                      const past = e => e.getBoundingClientRect().right > window.innerWidth + 1
                        || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'); // text wider than its box
                      const counted = e => !(e.parentElement?.closest('.scroll, .leaflet-container'));
                      return [...document.body.querySelectorAll('*')]
                        .filter(e => counted(e) && past(e) && ![...e.children].some(c => counted(c) && past(c)))
                        .slice(0, 4)
                        .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}:${Math.round(e.getBoundingClientRect().width)}`)
                        .join(' ');
                    }
                    """);
                wide.Add($"{path} ({width} px: {culprit})");
            }
        }
        return wide;
    }
}
