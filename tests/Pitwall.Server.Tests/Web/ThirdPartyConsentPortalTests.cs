using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>Issue 20 in Debian's Chromium: a third-party app sends the owner through authorization code + PKCE, the owner consents
/// on the consent screen to one car and <c>read_location</c> only, and later withdraws under Profile → Connected apps.</summary>
public sealed class ThirdPartyConsentPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private const string Redirect = "https://parking.example/callback";

    [Fact]
    public async Task The_owner_consents_to_one_car_and_its_location_only_then_withdraws_and_the_apps_refresh_fails()
    {
        var created = await (await server.AdminAsync()).PostAsJsonAsync("/api/v1/admin/clients",
            new { kind = "third_party", name = "Parking App", redirectUris = new[] { Redirect }, scopes = new[] { "read_location", "read_vehicle_info" } });
        var clientId = (await created.JsonAsync()).GetProperty("clientId").GetString()!;
        var a = await server.OwnedVehicleAsync(model: "Taycan");
        var b = await server.OwnedVehicleAsync(model: "Macan", owner: a.Owner);
        using var app = new OAuthTestClient(server, clientId, Redirect);

        var page = await browser.SignedInPageAsync(server, a.Owner);
        string? callback = null;
        await page.RouteAsync("https://parking.example/**", async route =>
        {
            callback = route.Request.Url;
            await route.FulfillAsync(new() { Status = 200, Body = "the app" });
        });
        await page.GotoAsync(app.AuthorizeUrl("read_location read_vehicle_info offline_access"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Allow Parking App to use your car?");
        await Expect(page.GetByLabel("Macan")).Not.ToBeCheckedAsync(); // no car is shared unless ticked
        await page.GetByLabel("Taycan").CheckAsync();
        await Expect(page.GetByLabel("See the car's location")).ToBeCheckedAsync();
        await page.GetByLabel("Read the car's data and state").UncheckAsync();
        await PortalBrowser.ScreenshotAsync(page, "consent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync();
        await Expect(page.Locator("body")).ToHaveTextAsync("the app");

        var code = OAuthTestClient.CodeOf(new Uri(callback!))!;
        var tokens = await (await app.RedeemAsync(code)).JsonAsync();
        var api = server.ClientWith(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/vehicles/{a.Vin}/location")).StatusCode);
        await (await api.GetAsync($"/api/v1/vehicles/{a.Vin}/status")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await api.GetAsync($"/api/v1/vehicles/{b.Vin}/location")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");

        await page.GotoAsync("/profile");
        await page.Locator("#apps-link").ClickAsync();
        var row = page.Locator($"#apps tr[data-vin='{a.Vin}']");
        await Expect(row).ToContainTextAsync("Parking App");
        await Expect(row).ToContainTextAsync("See the car's location");
        await Expect(page.Locator($"#apps tr[data-vin='{b.Vin}']")).ToHaveCountAsync(0);
        await row.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();
        await Expect(page.Locator("#withdrawn")).ToContainTextAsync("Parking App");
        await Expect(page.Locator("#no-apps")).ToBeVisibleAsync();

        var refreshed = await app.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal("invalid_grant", (await refreshed.JsonAsync()).GetProperty("error").GetString());
        await (await api.GetAsync($"/api/v1/vehicles/{a.Vin}/location")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task The_consent_screen_asks_for_a_car_and_speaks_german()
    {
        var created = await (await server.AdminAsync()).PostAsJsonAsync("/api/v1/admin/clients",
            new { kind = "third_party", name = "Ladeplaner", redirectUris = new[] { Redirect }, scopes = new[] { "read_charge" } });
        var clientId = (await created.JsonAsync()).GetProperty("clientId").GetString()!;
        var owned = await server.OwnedVehicleAsync();
        using var app = new OAuthTestClient(server, clientId, Redirect);
        var page = await browser.SignedInPageAsync(server, owned.Owner, "de-DE");
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await page.GotoAsync(app.AuthorizeUrl("read_charge"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Ladeplaner die Nutzung Ihres Fahrzeugs erlauben?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erlauben", Exact = true }).ClickAsync();
        await Expect(page.Locator("#vins-error")).ToHaveTextAsync("Wählen Sie mindestens ein Fahrzeug.");
        await Expect(page).ToHaveURLAsync(new Regex("/account/consent"));
    }
}
