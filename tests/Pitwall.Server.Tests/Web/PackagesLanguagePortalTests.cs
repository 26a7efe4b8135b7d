using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The packages page in German, in Debian's Chromium: package and service names translated (no ids such as
/// <c>car_control</c>), prices with a decimal comma, and the confirmation step in German.</summary>
public sealed class PackagesLanguagePortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task In_German_packages_and_their_services_have_German_names_and_prices_a_decimal_comma()
    {
        var owned = await server.OwnedVehicleAsync();
        var page = await browser.SignedInPageAsync(server, owned.Owner, "de-DE");
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await page.GotoAsync($"/vehicles/{owned.Vin}/packages");

        var offers = page.Locator("#offers");
        await Expect(offers).ToContainTextAsync("Fahrzeugortung"); // service:car_finder
        await Expect(offers).ToContainTextAsync(new Regex(@"\d+,\d\d EUR"));
        var main = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch(new Regex(@"\b[a-z]+_[a-z_]+\b"), main); // no service or package ids
        Assert.DoesNotMatch(new Regex(@"\d+\.\d\d EUR"), main); // no decimal point

        await page.Locator("#offers [data-package='navigation_plus'] button").ClickAsync();
        await Expect(page.Locator("#confirm-price")).ToContainTextAsync(new Regex(@"\d+,00 EUR"));
        await PortalBrowser.ScreenshotAsync(page, "owner-packages-confirm-de");
    }
}
