using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Privacy;

/// <summary>P4: a real browser's map loads its tiles from the server's tile proxy, and the provider behind it sees the
/// server and the tile coordinates only: not the browser's cookies, Referer or User-Agent, and never the VIN.</summary>
public sealed class MapTilesBrowserTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task Tiles_come_through_the_proxy_and_the_provider_sees_no_browser_and_no_vin()
    {
        var owned = await server.OwnedVehicleAsync();
        var page = await browser.SignedInPageAsync(server, owned.Owner);

        var tiles = new System.Collections.Concurrent.ConcurrentQueue<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/tiles/", StringComparison.Ordinal))
            {
                tiles.Enqueue(response);
            }
        };
        // The map asks for tiles once its script has run, which on a loaded machine can come after the network went idle.
        var firstTile = page.WaitForResponseAsync(response => response.Url.Contains("/tiles/", StringComparison.Ordinal));
        await page.GotoAsync($"/vehicles/{owned.Vin}", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await firstTile;
        await page.Locator("#map img.leaflet-tile-loaded").First.WaitForAsync();
        Assert.NotEmpty(tiles);
        var origin = server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        foreach (var response in tiles)
        {
            Assert.StartsWith(origin + "/tiles/", response.Url, StringComparison.Ordinal);
            Assert.DoesNotContain(owned.Vin, response.Url, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(200, response.Status);
            Assert.Equal("image/png", await response.HeaderValueAsync("content-type"));
            Assert.False((await response.Request.AllHeadersAsync()).ContainsKey("referer"), "a tile request sent a Referer");
        }
        // The page's tiles are images in the map, drawn from the proxy's answers.
        Assert.True(await page.Locator("#map img.leaflet-tile-loaded").CountAsync() > 0, "no tile was drawn");

        var userAgent = await page.EvaluateAsync<string>("navigator.userAgent");
        Assert.NotEmpty(server.Tiles.Requests);
        foreach (var request in server.Tiles.Requests)
        {
            Assert.Matches(@"^/\d+/\d+/\d+\.png$", request.Path);
            Assert.Equal(PortalServer.TileUserAgent, request.Header("user-agent"));
            Assert.NotEqual(userAgent, request.Header("user-agent"));
            foreach (var header in new[] { "cookie", "referer", "origin", "x-forwarded-for", "forwarded", "traceparent" })
            {
                Assert.False(request.Headers.ContainsKey(header), $"the provider got a {header} header");
            }
            Assert.DoesNotContain(request.Headers.Values, v => v.Contains(owned.Vin, StringComparison.OrdinalIgnoreCase));
        }
    }
}
