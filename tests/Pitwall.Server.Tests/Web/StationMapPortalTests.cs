using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator.Cpo;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The station map of the Public charging tab in Debian's Chromium: the stations the operator pushed on the Leaflet map and
/// in the list with each EVSE's availability, a remote start and stop from there (OCPI START_SESSION / STOP_SESSION to the CPO
/// simulator) with the outcome on the page, another area when the map moves, and an honest note when the tiles cannot be loaded.</summary>
public sealed class StationMapPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly IReadOnlyList<Station> All = Stations.RhineNeckar();

    /// <summary>The station and its nearest neighbours, pushed by a registered CPO; the area around the first as <c>bbox</c>.</summary>
    private async Task<(RegisteredCpo Cpo, IReadOnlyList<Station> Pushed, string Bbox, int InArea)> StationsAsync(string party, Station centre)
    {
        var cpo = await server.RegisteredCpoAsync(party);
        var pushed = All.OrderBy(s => Math.Pow(s.Latitude - centre.Latitude, 2) + Math.Pow(s.Longitude - centre.Longitude, 2)).Take(5).ToList();
        foreach (var station in pushed)
        {
            await cpo.Client.PutLocationAsync(OcpiObjects.Location("DE", party, station, server.Clock.GetUtcNow()), CancellationToken.None);
        }
        const double d = 0.03;
        var inArea = pushed.Count(s => Math.Abs(s.Latitude - centre.Latitude) <= d && Math.Abs(s.Longitude - centre.Longitude) <= d);
        return (cpo, pushed, string.Create(CultureInfo.InvariantCulture, $"{centre.Longitude - d},{centre.Latitude - d},{centre.Longitude + d},{centre.Latitude + d}"), inArea);
    }

    [Fact]
    public async Task A_driver_starts_and_stops_a_charge_from_the_station_list_and_sees_each_requests_outcome_on_the_page()
    {
        var (driver, _) = await server.DriverWithCardAsync();
        var (cpo, pushed, bbox, inArea) = await StationsAsync("MAP", All[3]);
        await using var _ = cpo;
        var busy = pushed[1];
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        await cpo.Client.PatchEvseAsync(busy.Id, OcpiObjects.EvseUid(busy, 1),
            new JsonObject { ["status"] = "CHARGING", ["last_updated"] = OcpiObjects.Time(server.Clock.GetUtcNow()) }, CancellationToken.None);

        var page = await browser.SignedInPageAsync(server, driver.Owner);
        await page.GotoAsync($"/vehicles/{driver.Vin}/public-charging?bbox={bbox}");
        var list = page.Locator("#station-list ul.stations > li");
        await Expect(list).ToHaveCountAsync(inArea);
        await Expect(page.Locator("#station-map .station-marker")).ToHaveCountAsync(inArea);
        await Expect(page.Locator("#station-map .station-marker.free")).ToHaveCountAsync(inArea - (busy.Points.Count == 1 ? 1 : 0));
        var busyEvse = page.Locator($"#station-list li[data-evse='DE*MAP*E{busy.Id}*1']");
        await Expect(busyEvse.Locator(".status")).ToHaveTextAsync("In use");
        await Expect(busyEvse.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        // The station's charge point fails to start: the request ends as failed, live.
        var target = $"DE*MAP*E{All[3].Id}*1";
        var start = page.GetByRole(AriaRole.Button, new() { Name = $"Start charging at {target}" });
        cpo.Commands.StartResult = "EVSE_INOPERATIVE";
        await start.ClickAsync();
        // The operator accepts the command; whether its charge point's failure is in before the page answers is a race.
        await Expect(page.Locator("p.notice")).ToHaveTextAsync(new Regex("^(Sent to the station's operator\\.|The charging point is out of order)$"));
        await cpo.Commands.IdleAsync();
        var latest = page.Locator("#charging-commands li").First;
        await Expect(latest).ToHaveAttributeAsync("data-status", "failed");
        await Expect(latest.Locator(".command-state")).ToHaveTextAsync("The charging point is out of order"); // the station's result in words, not the operator's ACCEPTED
        Assert.Contains("bbox=", page.Url, StringComparison.Ordinal); // the start kept the driver's area

        // Now it starts: the request is done, the charge runs, and the EVSE reads as in use (a second later: the list is newest first).
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        cpo.Commands.StartResult = "ACCEPTED";
        await start.ClickAsync();
        await cpo.Commands.IdleAsync();
        await Expect(latest).ToHaveAttributeAsync("data-status", "performed");
        await Expect(latest).ToContainTextAsync($"Start charging {target}");
        await Expect(page.Locator("#charging-live article.live-session")).ToHaveAttributeAsync("data-status", "ACTIVE");
        await Expect(page.Locator($"#station-list li[data-evse='{target}'] .status")).ToHaveTextAsync("In use");
        await PortalBrowser.ScreenshotAsync(page, "public-charging-station-map");

        server.Clock.Advance(TimeSpan.FromMinutes(5));
        await page.Locator("#charging-live").GetByRole(AriaRole.Button, new() { Name = "Stop charging" }).ClickAsync();
        await cpo.Commands.IdleAsync();
        await Expect(latest.Locator(".command-state")).ToHaveTextAsync("Done");
        await Expect(latest).ToContainTextAsync("Stop charging");
        await Expect(page.Locator("#charging-live")).ToContainTextAsync("No charge is running");
        await Expect(page.Locator($"#station-list li[data-evse='{target}'] .status")).ToHaveTextAsync("Available");

        // Zooming out lists the stations of the wider area (and the address keeps it).
        var area = await page.Locator("#station-list .station-area").GetAttributeAsync("data-bbox");
        await page.Locator("#station-map .leaflet-control-zoom-out").ClickAsync();
        await Expect(page.Locator("#station-list .station-area")).Not.ToHaveAttributeAsync("data-bbox", area!);
        await Expect(list).ToHaveCountAsync(pushed.Count);
        await Expect(page).ToHaveURLAsync(new Regex(@"bbox="));
    }

    [Fact]
    public async Task Without_map_tiles_the_station_map_says_so_in_german_and_the_list_still_starts_a_charge()
    {
        var (driver, _) = await server.DriverWithCardAsync();
        var (cpo, _, bbox, inArea) = await StationsAsync("MAQ", All[40]);
        await using var _ = cpo;
        var page = await browser.SignedInPageAsync(server, driver.Owner, "de-DE");
        await page.Context.RouteAsync("**/tiles/**", route => route.AbortAsync("internetdisconnected"));
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await page.GotoAsync($"/vehicles/{driver.Vin}/public-charging?bbox={bbox}");

        var note = page.Locator("#station-map .map-unavailable");
        await Expect(note).ToBeVisibleAsync();
        await Expect(note).ToContainTextAsync("Karte nicht verfügbar");
        await Expect(page.Locator("#station-map .station-marker")).ToHaveCountAsync(inArea);
        await Expect(page.Locator("#station-list ul.stations > li")).ToHaveCountAsync(inArea);
        await Expect(page.Locator("#station-list .status").First).ToHaveTextAsync("Frei");
        await PortalBrowser.ScreenshotAsync(page, "public-charging-station-map-unavailable-de");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Laden starten an DE*MAQ*E{All[40].Id}*1" }).ClickAsync();
        await cpo.Commands.IdleAsync();
        await Expect(page.Locator("#charging-commands li").First.Locator(".command-state")).ToHaveTextAsync("Erledigt");
        await Expect(page.Locator("#charging-live article.live-session")).ToHaveAttributeAsync("data-status", "ACTIVE");
    }
}
