using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>Numbers in the page's language and times in the account's or the browser's time zone, in Debian's Chromium.</summary>
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

    [Fact]
    public async Task The_time_zone_chosen_in_the_profile_wins_over_the_browsers_on_every_page_and_in_the_next_session()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 29,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.Glass);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);

        async Task<IPage> SignInFromBerlinAsync()
        {
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = server.Client.BaseAddress!.ToString(), TimezoneId = "Europe/Berlin", ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/signin");
            await page.Locator("#Email").FillAsync(owned.Owner.Email);
            await page.Locator("#Password").FillAsync(owned.Owner.Password);
            await page.Locator("main button[type=submit]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/vehicles$"));
            return page;
        }
        var alarmTime = "#alarm-history tr[data-reason='glass'] time";

        var first = await SignInFromBerlinAsync();
        await first.GotoAsync($"/vehicles/{owned.Vin}/alarms");
        await Expect(first.Locator(alarmTime).First).ToHaveTextAsync(new Regex(@" UTC\+[12]$")); // the browser's zone until the account chooses
        await first.GotoAsync("/profile");
        await Expect(first.Locator("#TimeZone")).ToHaveValueAsync("");
        await first.Locator("#TimeZone").SelectOptionAsync("Asia/Tokyo");
        await first.GetByRole(AriaRole.Button, new() { Name = "Save" }).First.ClickAsync();
        await Expect(first.Locator("#TimeZone")).ToHaveValueAsync("Asia/Tokyo");
        await first.GotoAsync($"/vehicles/{owned.Vin}/alarms");
        await Expect(first.Locator(alarmTime).First).ToHaveTextAsync(new Regex(@" UTC\+9$"));
        Assert.Equal("Asia/Tokyo", (await (await owned.Client.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("timeZone").GetString());

        // Another browser, still in Berlin: the account's choice comes with the sign-in.
        var second = await SignInFromBerlinAsync();
        await second.GotoAsync($"/vehicles/{owned.Vin}/alarms");
        await Expect(second.Locator(alarmTime).First).ToHaveTextAsync(new Regex(@" UTC\+9$"));

        // Back to the browser's zone through the API; a zone that does not exist is refused at the field.
        await (await owned.Client.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Mars/Olympus" })).AssertProblemAsync(System.Net.HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await owned.Client.PatchAsJsonAsync("/api/v1/me", new { timeZone = "" })).StatusCode);
        var third = await SignInFromBerlinAsync();
        await third.GotoAsync($"/vehicles/{owned.Vin}/alarms");
        await Expect(third.Locator(alarmTime).First).ToHaveTextAsync(new Regex(@" UTC\+[12]$"));
    }
}
