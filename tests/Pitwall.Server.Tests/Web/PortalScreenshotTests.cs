using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Pitwall.Server.Tests.Infrastructure.CarSecuritySetup;

namespace Pitwall.Server.Tests.Web;

/// <summary>The main pages of every role in every language the role reads, each answering without an error, kept as
/// screenshots in <c>test-results/screenshots/</c> (<c>role-page-language.png</c>) for people to look at.</summary>
public sealed class PortalScreenshotTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_main_pages_of_each_role_render_in_each_of_its_languages_and_are_kept_as_screenshots()
    {
        var (owned, _) = await server.SecuredVehicleAsync(SecurityDetails());
        await using var car = await server.ConnectCarAsync(owned, 91, Patience);
        var ownerPages = new[]
        {
            ("vehicles", "/vehicles"), ("dashboard", $"/vehicles/{owned.Vin}"), ("charging", $"/vehicles/{owned.Vin}/charging"),
            ("trips", $"/vehicles/{owned.Vin}/trips"), ("packages", $"/vehicles/{owned.Vin}/packages"), ("security", $"/vehicles/{owned.Vin}/security"),
            ("notifications", "/account/notifications"), ("profile", "/profile"),
        };
        var owner = await browser.SignedInPageAsync(server, owned.Owner);
        foreach (var language in new[] { "en", "de", "fr" })
        {
            await owner.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = server.Client.BaseAddress!.ToString() }]);
            foreach (var (name, path) in ownerPages)
            {
                await ShowAsync(owner, path, $"owner-{name}-{language}", language);
            }
        }

        // Staff: the consoles that speak the portal's languages in each of them; the assistance centre's is English only.
        Assert.True(await car.StartTheftAsync(TheftReason.UnauthorisedMovement));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var socCase = (await server.Get<TheftCaseStore>().QueueAsync(false, 200, CancellationToken.None)).First(k => k.Vin == owned.Vin).Id;
        var (tracked, _) = await server.SecuredVehicleAsync(SecurityDetails());
        foreach (var (role, languages, pages) in new (string, string[], (string, string)[])[]
        {
            ("soc_operator", ["en", "de", "fr"], [("queue", "/soc"), ("case", $"/soc/cases/{socCase}")]),
            ("authority", ["en", "de", "fr"], [("cases", "/authority"), ("case", "/authority/cases/{case}")]),
            ("assistance_agent", ["en"], [("queue", "/assistance")]),
            ("admin", ["en", "de", "fr"], [("home", "/admin"), ("vehicles", "/admin/vehicles"), ("vehicle", $"/admin/vehicles/{owned.Vin}"), ("users", "/admin/users"),
                ("packages", "/admin/packages"), ("software", "/admin/software"), ("privacy", "/admin/privacy")]),
        })
        {
            var (accountId, email) = await server.CreateStaffAsync(role, "Staff Member");
            var authorityCase = role == "authority"
                ? (await server.Get<AuthorityTracking>().StartTrackingAsync(accountId, new AuthorityTrackingRequest(tracked.Vin, Registration, "K-2026-1", null),
                    CancellationToken.None)).Case!.Id
                : "";
            var page = await browser.NewPageAsync(server);
            await page.GotoAsync("/signin");
            await page.Locator("#Email").FillAsync(email);
            await page.Locator("#Password").FillAsync(StaffPassword);
            await page.Locator("main button[type=submit]").ClickAsync();
            await Expect(page.Locator("header nav")).ToContainTextAsync("Sign out");
            foreach (var language in languages)
            {
                await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = server.Client.BaseAddress!.ToString() }]);
                foreach (var (name, path) in pages)
                {
                    await ShowAsync(page, path.Replace("{case}", authorityCase, StringComparison.Ordinal), $"{role}-{name}-{language}", language);
                }
            }
        }
    }

    private static async Task ShowAsync(IPage page, string path, string screenshot, string language)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response?.Ok == true, $"{path} in {language} answered {response?.Status}");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.Locator("h1").First).Not.ToHaveTextAsync("Something went wrong");
        await PortalBrowser.ScreenshotAsync(page, screenshot);
    }
}
