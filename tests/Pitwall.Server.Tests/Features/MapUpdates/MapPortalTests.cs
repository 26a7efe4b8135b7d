using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Features.MapUpdates;

/// <summary>
/// The owner's map updates page (F5, H3) in Debian's Chromium with the network blocked: a car that received the increment of its
/// region shows its version, the newest one, the documented update with its size, and the region's extent drawn on Pitwall's own
/// tiles; in English, then in German and French through the language switch; a car whose service is switched off says so.
/// </summary>
public sealed class MapPortalTests(OfflineMapServer server, OfflinePortalBrowser browser) : IClassFixture<OfflineMapServer>, IClassFixture<OfflinePortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task UntilAsync(Func<Task<bool>> done, Func<string> state)
    {
        var watch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!await done())
        {
            Assert.True(watch.Elapsed < Patience, state());
            await timer.WaitForNextTickAsync();
        }
    }

    /// <summary>Lets only the loopback server through and records anything else the page asks for.</summary>
    private static async Task<List<string>> BlockOutsideAsync(IPage page)
    {
        var outside = new List<string>();
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host is "127.0.0.1")
            {
                await route.ContinueAsync();
                return;
            }
            outside.Add(route.Request.Url);
            await route.AbortAsync("internetdisconnected");
        });
        return outside;
    }

    private static async Task SwitchLanguageAsync(IPage page, string language)
    {
        await page.Locator("footer select#language").SelectOptionAsync(language);
        await page.Locator("footer button[type=submit]").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", new Regex("^" + language));
    }

    [Fact]
    public async Task A_car_that_received_the_increment_of_its_region_shows_its_versions_the_documented_update_and_the_region_on_own_tiles_in_three_languages()
    {
        await MapData.BuildAsync(server);
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 11, MapRegion = "monaco", MapVersion = 1, PollMapsAtStart = true,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.StartEngineAsync();
        await UntilAsync(() => Task.FromResult(car.MapVersion == 2), () => $"map version {car.MapVersion}, offer {car.LastMapOffer}");
        var increment = Assert.Single(car.LastMapOffer!.Packages);
        await UntilAsync(async () => (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/maps")).Content.ReadAsStringAsync())
            .Contains("\"result\":\"installed\"", StringComparison.Ordinal), () => "the car's report is not documented");

        var page = await browser.SignedInPageAsync(server, owned.Owner);
        var outside = await BlockOutsideAsync(page);
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await page.Locator("nav.tabs").GetByRole(AriaRole.Link, new() { Name = "Map updates", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/vehicles/{owned.Vin}/maps$"));

        await Expect(page.Locator("#map-service-state")).ToHaveAttributeAsync("data-state", "active");
        await Expect(page.Locator("#map-service-state")).ToContainTextAsync("the car asks at every start");
        var region = page.Locator("dl.map-region[data-region='monaco']");
        await Expect(region.Locator(".name")).ToHaveTextAsync("Monaco");
        await Expect(region.Locator(".installed")).ToContainTextAsync("Version 2, reported");
        await Expect(region.Locator(".latest")).ToHaveTextAsync("Version 2: the car is up to date.");
        var row = page.Locator("#map-deliveries tr[data-region='monaco'][data-result='installed']");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".from")).ToHaveTextAsync("1");
        await Expect(row.Locator(".to")).ToHaveTextAsync("2");
        await Expect(row.Locator(".packages")).ToHaveTextAsync("1");
        var size = increment.Size < 1_000 ? $"{increment.Size} B" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{increment.Size / 1_000d:#,0.0} kB");
        await Expect(row.Locator(".size")).ToHaveTextAsync(size);
        await Expect(row.Locator(".result")).ToHaveTextAsync("Installed by the car");
        await Expect(row.Locator(".reported")).ToContainTextAsync("UTC");

        // The region's extent on the map, over tiles Pitwall drew from its own map data: no request left the machine.
        await Expect(page.Locator("#region-map path.map-region-extent")).ToHaveCountAsync(1);
        var tiles = page.Locator("#region-map img.leaflet-tile-loaded");
        await Expect(tiles.First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        var sources = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#region-map img.leaflet-tile-loaded')].map(i => i.src)");
        Assert.All(sources, src => Assert.Matches(new Regex(@"^http://127\.0\.0\.1:\d+/tiles/\d+/\d+/\d+\.png$"), src));
        // Drawn from the map data, not blank: a tile over Monaco has streets on it (a one-colour PNG is a few hundred bytes).
        var sizes = await page.EvaluateAsync<int[]>(
            "async () => Promise.all([...document.querySelectorAll('#region-map img.leaflet-tile-loaded')].map(async i => (await (await fetch(i.src)).arrayBuffer()).byteLength))");
        Assert.Contains(sizes, size => size > 2_000);
        await PortalBrowser.ScreenshotAsync(page, "vehicle-map-updates");

        await SwitchLanguageAsync(page, "de");
        await Expect(page).ToHaveURLAsync(new Regex($"/vehicles/{owned.Vin}/maps$"));
        await Expect(page.Locator("nav.tabs a[aria-current='page']")).ToHaveTextAsync("Kartenupdates");
        await Expect(page.Locator("#map-service-state")).ToContainTextAsync("Aktiv: Das Fahrzeug fragt bei jedem Start");
        await Expect(region.Locator(".latest")).ToHaveTextAsync("Version 2: das Fahrzeug ist auf dem neuesten Stand.");
        await Expect(row.Locator(".result")).ToHaveTextAsync("Vom Fahrzeug installiert");
        await Expect(page.Locator("#map-deliveries th").Nth(4)).ToHaveTextAsync("Größe");
        await PortalBrowser.ScreenshotAsync(page, "vehicle-map-updates-de");

        await SwitchLanguageAsync(page, "fr");
        await Expect(row.Locator(".result")).ToHaveTextAsync("Installée par le véhicule");
        await Expect(region.Locator(".latest")).ToHaveTextAsync("Version 2 : le véhicule est à jour.");
        Assert.Empty(outside);
    }

    [Fact]
    public async Task A_car_with_map_update_switched_off_reads_so_on_the_page_and_a_strangers_car_is_not_found()
    {
        await MapData.BuildAsync(server);
        var owned = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret,
            privacy: new PrivacySettings { DisabledServices = { ServiceIds.MapUpdate } });

        var page = await browser.SignedInPageAsync(server, owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}/maps");
        await Expect(page.Locator("#map-service-state")).ToHaveAttributeAsync("data-state", "service_disabled");
        await Expect(page.Locator("#map-service-state")).ToContainTextAsync("switched off in the car");
        await Expect(page.Locator("#map-deliveries")).ToHaveCountAsync(0);

        var stranger = await server.OwnedVehicleAsync();
        Assert.Equal(404, (await page.GotoAsync($"/vehicles/{stranger.Vin}/maps"))!.Status);
    }
}
