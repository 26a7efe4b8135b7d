using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The portal's maps in Debian's Chromium: they follow a driving car, and say so when their tiles cannot be loaded.</summary>
public sealed class PortalMapTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private async Task<(IPage Page, SimulatedVehicle Car, string Vin)> DashboardOfADrivenCarAsync(string locale, bool tilesBlocked)
    {
        var owned = await server.OwnedVehicleAsync();
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 21,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.DriveAsync(TimeSpan.FromMinutes(1));
        await car.StopEngineAsync();
        var page = await browser.NewPageAsync(server, locale);
        if (tilesBlocked)
        {
            await page.Context.RouteAsync("**/tiles/**", route => route.AbortAsync("internetdisconnected"));
        }
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(owned.Owner.Email);
        await page.Locator("#Password").FillAsync(owned.Owner.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/vehicles$"));
        if (locale.StartsWith("de", StringComparison.Ordinal))
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        }
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await Expect(page.Locator("#map .leaflet-marker-icon")).ToBeVisibleAsync();
        return (page, car, owned.Vin);
    }

    private static async Task<(double Lat, double Lon)> PositionAsync(IPage page)
    {
        var signals = page.Locator("#signals");
        return (double.Parse((await signals.GetAttributeAsync("data-lat"))!, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse((await signals.GetAttributeAsync("data-lon"))!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_dashboard_map_follows_the_car_while_it_drives()
    {
        var (page, car, _) = await DashboardOfADrivenCarAsync("en-GB", tilesBlocked: false);
        await using var _ = car;
        var start = await PositionAsync(page);

        await car.DriveAsync(TimeSpan.FromMinutes(5), speed: 30);
        await car.StopEngineAsync();

        // The car left the first view (the map shows about 1 km at this zoom), and the map kept it in sight.
        await Expect(page.Locator("#signals")).Not.ToHaveAttributeAsync("data-lat", start.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var end = await PositionAsync(page);
        Assert.True(Math.Abs(end.Lat - start.Lat) * 111_000 > 1_000 || Math.Abs(end.Lon - start.Lon) * 73_000 > 1_000, $"{start} → {end}");
        var map = (await page.Locator("#map").BoundingBoxAsync())!;
        var marker = (await page.Locator("#map .leaflet-marker-icon").BoundingBoxAsync())!;
        Assert.InRange(marker.X, map.X, map.X + map.Width - marker.Width);
        Assert.InRange(marker.Y, map.Y, map.Y + map.Height - marker.Height);
        Assert.False(await page.Locator("#map .map-unavailable").IsVisibleAsync());
    }

    [Fact]
    public async Task With_the_map_tiles_out_of_reach_the_map_says_so_in_the_users_language_and_still_shows_the_car()
    {
        var (page, car, _) = await DashboardOfADrivenCarAsync("de-DE", tilesBlocked: true);
        await using var _ = car;
        var note = page.Locator("#map .map-unavailable");
        await Expect(note).ToBeVisibleAsync();
        await Expect(note).ToContainTextAsync("Karte nicht verfügbar");
        await Expect(note).ToContainTextAsync(new Regex(@"Kartenmitte: \d+,\d{5}, \d+,\d{5}")); // German decimal commas
        await Expect(page.Locator("#map .leaflet-marker-icon")).ToBeVisibleAsync();
        await PortalBrowser.ScreenshotAsync(page, "dashboard-map-unavailable-de");
    }
}
