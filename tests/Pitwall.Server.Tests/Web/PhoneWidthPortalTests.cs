using System.Net.Http.Json;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Tests.Features.Breakdown;
using Pitwall.Server.Tests.Features.Dealers;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Server.Web;
using Pitwall.Simulator;
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
        // Content that makes pages wide: a stolen car with a case, an alarm area, a car that reported its status, a second car
        // an authority tracks, a third that broke down.
        var (owned, _) = await server.SecuredVehicleAsync(SecurityDetails());
        await using var car = await server.ConnectCarAsync(owned, 71, Patience);
        var area = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/geofences",
            new { name = "Office in the Stuttgart city centre", latitude = 48.8342, longitude = 9.1522, radiusMetres = 300, notify = "both" });
        area.EnsureSuccessStatusCode();
        Assert.True(await car.StartTheftAsync(TheftReason.UnauthorisedMovement));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var (tracked, _) = await server.SecuredVehicleAsync(SecurityDetails());
        var brokenDown = await server.OwnedVehicleAsync();
        await using var brokenCar = await server.ConnectAsync(brokenDown, seed: 72);
        await brokenCar.BreakDownAsync(BreakdownKind.Overheating);

        var visitor = await browser.NewPageAsync(server);
        var wide = await WidePagesAsync(visitor, ["/", "/signin", "/register", "/privacy"]);

        var owner = await browser.SignedInPageAsync(server, owned.Owner);
        var ownerPages = new List<string>
        {
            "/vehicles", "/account/notifications", "/account/apps", "/account/invoices", "/profile", "/privacy", $"/vehicles/{owned.Vin}",
            $"/vehicles/{owned.Vin}/public-charging/history",
        };
        ownerPages.AddRange(server.Get<VehicleTabs>().All.Select(tab => $"/vehicles/{owned.Vin}{tab.Path}"));
        wide.AddRange(await WidePagesAsync(owner, ownerPages));

        foreach (var (role, pages) in new (string, string[])[]
        {
            ("soc_operator", ["/soc", "/soc/cases/{case}"]),
            ("authority", ["/authority", "/authority/cases/{case}"]),
            ("assistance_agent", ["/assistance", "/assistance/cases/{case}"]),
            ("admin", ["/admin", "/admin/vehicles", $"/admin/vehicles/{owned.Vin}", "/admin/users", "/admin/clients", "/admin/packages", "/admin/privacy",
                "/admin/software", "/admin/software/campaigns"]),
        })
        {
            var (accountId, email) = await server.CreateStaffAsync(role, "Staff Member");
            var caseId = role switch
            {
                "soc_operator" => (await server.Get<TheftCaseStore>().QueueAsync(false, 200, CancellationToken.None)).First(k => k.Vin == owned.Vin).Id,
                "authority" => (await server.Get<AuthorityTracking>().StartTrackingAsync(accountId,
                    new AuthorityTrackingRequest(tracked.Vin, Registration, "K-2026-375", "Seen last on a car park in the Stuttgart city centre"),
                    CancellationToken.None)).Case!.Id,
                _ => null,
            };
            var page = await SignedInAsync(email, StaffPassword);
            if (role == "assistance_agent")
            {
                var call = page.Locator("#queue tr[data-kind=breakdown]").First;
                await Expect(call).ToBeVisibleAsync(); // the call arrives live
                caseId = await call.GetAttributeAsync("data-case");
            }
            wide.AddRange(await WidePagesAsync(page, pages.Select(p => p.Replace("{case}", caseId, StringComparison.Ordinal))));
        }

        // A dealer's console.
        var dealers = new DealerSetup(server);
        var dealerId = await dealers.DealerAsync("Autohaus am Pragsattel, Werkstatt und Karosserie");
        var dealerEmail = $"dealer-{Guid.NewGuid():N}@example.com";
        (await (await dealers.AdminAsync()).PostAsJsonAsync($"/api/v1/admin/dealers/{dealerId}/staff",
            new { email = dealerEmail, name = "Sam Service", password = "a dealer password" })).EnsureSuccessStatusCode();
        wide.AddRange(await WidePagesAsync(await SignedInAsync(dealerEmail, "a dealer password"), ["/dealer"]));
        Assert.True(wide.Count == 0, "Scroll sideways at 375 px: " + string.Join(", ", wide));
    }

    private async Task<IPage> SignedInAsync(string email, string password)
    {
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.Locator("header nav")).ToContainTextAsync("Sign out");
        return page;
    }

    [Fact]
    public async Task A_table_too_wide_for_a_phone_scrolls_in_its_box_and_says_so()
    {
        var (_, email) = await server.CreateStaffAsync("soc_operator", "Staff Member");
        var page = await SignedInAsync(email, StaffPassword);
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
