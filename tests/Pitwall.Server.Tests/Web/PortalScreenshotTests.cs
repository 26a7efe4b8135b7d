using Microsoft.Playwright;
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

        foreach (var (role, pages) in new (string, (string, string)[])[]
        {
            ("soc_operator", [("queue", "/soc")]),
            ("authority", [("cases", "/authority")]),
            ("assistance_agent", [("queue", "/assistance")]),
            ("admin", [("home", "/admin"), ("vehicles", "/admin/vehicles"), ("vehicle", $"/admin/vehicles/{owned.Vin}"), ("packages", "/admin/packages"), ("privacy", "/admin/privacy")]),
        })
        {
            var (_, email) = await server.CreateStaffAsync(role, "Staff Member");
            var page = await browser.NewPageAsync(server);
            await page.GotoAsync("/signin");
            await page.Locator("#Email").FillAsync(email);
            await page.Locator("#Password").FillAsync(StaffPassword);
            await page.Locator("main button[type=submit]").ClickAsync();
            await Expect(page.Locator("header nav")).ToContainTextAsync("Sign out");
            foreach (var (name, path) in pages)
            {
                await ShowAsync(page, path, $"{role}-{name}-en", "en");
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
