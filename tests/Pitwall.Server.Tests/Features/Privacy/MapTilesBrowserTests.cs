using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Privacy;

/// <summary>P4: the map provider gets tile coordinates, never the VIN (neither in the tile URL nor in a Referer).</summary>
public sealed class MapTilesBrowserTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task Tile_requests_carry_no_vin()
    {
        var owned = await server.OwnedVehicleAsync();
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(owned.Owner.Email);
        await page.Locator("#Password").FillAsync(owned.Owner.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/vehicles");

        var tiles = new System.Collections.Concurrent.ConcurrentQueue<IRequest>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/no-tiles/", StringComparison.Ordinal))
            {
                tiles.Enqueue(request);
            }
        };
        await page.GotoAsync($"/vehicles/{owned.Vin}", new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.NotEmpty(tiles);
        foreach (var request in tiles)
        {
            Assert.DoesNotContain(owned.Vin, request.Url, StringComparison.OrdinalIgnoreCase);
            var headers = await request.AllHeadersAsync();
            Assert.DoesNotContain(headers, h => h.Value.Contains(owned.Vin, StringComparison.OrdinalIgnoreCase));
            Assert.False(headers.ContainsKey("referer"), $"a tile request sent a Referer: {headers.GetValueOrDefault("referer")}");
        }
    }
}
