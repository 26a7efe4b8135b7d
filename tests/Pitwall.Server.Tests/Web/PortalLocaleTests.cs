using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>Numbers in the page's language and times in the browser's time zone, in Debian's Chromium.</summary>
public sealed class PortalLocaleTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_German_reader_in_Berlin_sees_decimal_commas_and_times_in_Berlin_time()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 23,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.DriveAsync(TimeSpan.FromMinutes(1));
        await car.StopEngineAsync();

        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Client.BaseAddress!.ToString(), Locale = "de-DE", TimezoneId = "Europe/Berlin",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin"); // the browser tells the server its time zone on every page
        await page.Locator("#Email").FillAsync(owned.Owner.Email);
        await page.Locator("#Password").FillAsync(owned.Owner.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/vehicles$"));
        await context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);

        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await Expect(page.Locator("#signals")).ToContainTextAsync(new Regex(@"\d+,\d+°, \d+,\d+°"));

        await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.Glass);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await page.GotoAsync($"/vehicles/{owned.Vin}/alarms");
        var at = page.Locator("#alarm-history tr[data-reason='glass'] time").First;
        await Expect(at).ToHaveTextAsync(new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\+[12]$")); // CET or CEST
        var utc = DateTimeOffset.Parse((await at.GetAttributeAsync("datetime"))!, System.Globalization.CultureInfo.InvariantCulture);
        var berlin = TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        await Expect(at).ToContainTextAsync(berlin.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        await PortalBrowser.ScreenshotAsync(page, "alarms-de-berlin");
    }
}
