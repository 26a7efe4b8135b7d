using System.Text.RegularExpressions;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Features.MapUpdates;

/// <summary>Pitwall with its own map data and no tile provider at all (<c>Pitwall:Portal:TileUrl</c> empty).</summary>
public sealed class OfflineMapServer : SqliteServer
{
    public string Own { get; } = Directory.CreateTempSubdirectory("pitwall-map-server-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. MapData.Settings(Own), new("Pitwall:Portal:TileUrl", "")];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Own, recursive: true);
    }
}

/// <summary>Debian's Chromium with every host name but the loopback address unresolvable: no internet for the page.</summary>
public sealed class OfflinePortalBrowser : PortalBrowser
{
    protected override IEnumerable<string> ExtraArguments => ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"];
}

/// <summary>The portal's maps with the network blocked (F5's own map data, H3): the tiles come from Pitwall, drawn from the map regions
/// it built with osmium-tool and tilemaker.</summary>
public sealed class OfflinePortalMapTests(OfflineMapServer server, OfflinePortalBrowser browser) : IClassFixture<OfflineMapServer>, IClassFixture<OfflinePortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task With_the_network_blocked_the_dashboard_map_shows_Pitwalls_own_tiles_around_a_car_in_Heidelberg()
    {
        await MapData.BuildAsync(server);
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 7, StartPosition = new GeoPosition(49.4094, 8.6942),
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.DriveAsync(TimeSpan.FromSeconds(20), speed: 5);
        await car.StopEngineAsync();

        var page = await browser.SignedInPageAsync(server, owned.Owner);
        var outside = new List<string>();
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host is "127.0.0.1")
            {
                await route.ContinueAsync();
                return;
            }
            outside.Add(route.Request.Url); // nothing may leave the machine: the page must not need it
            await route.AbortAsync("internetdisconnected");
        });
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await Expect(page.Locator("#map .leaflet-marker-icon")).ToBeVisibleAsync();
        var tiles = page.Locator("#map img.leaflet-tile-loaded");
        await Expect(tiles.Nth(5)).ToBeAttachedAsync(new() { Timeout = 30_000 });

        var loaded = (await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "() => [...document.querySelectorAll('#map img.leaflet-tile-loaded')].map(i => ({ src: i.src, width: i.naturalWidth }))")).EnumerateArray().ToList();
        Assert.True(loaded.Count >= 6, $"{loaded.Count} tiles loaded");
        Assert.All(loaded, t =>
        {
            Assert.Matches(new Regex(@"^http://127\.0\.0\.1:\d+/tiles/1[5-9]/\d+/\d+\.png$"), t.GetProperty("src").GetString());
            Assert.Equal(256, t.GetProperty("width").GetInt32());
        });
        // Drawn from the map data, not blank: the tile under the car has roads on it (a one-colour PNG is a few hundred bytes).
        var sizes = await page.EvaluateAsync<int[]>(
            "async () => Promise.all([...document.querySelectorAll('#map img.leaflet-tile-loaded')].map(async i => (await (await fetch(i.src)).arrayBuffer()).byteLength))");
        Assert.Contains(sizes, size => size > 2_000);
        Assert.False(await page.Locator("#map .map-unavailable").IsVisibleAsync());
        Assert.Empty(outside);
        await PortalBrowser.ScreenshotAsync(page, "dashboard-map-own-tiles-offline");
    }
}
