using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The administrators' area in Debian's Chromium: where staff land, finding a car, its detail, new packages.</summary>
public sealed class AdminPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_administrator_lands_on_the_admin_area_finds_a_car_by_a_VIN_fragment_and_sees_its_pairing_link_and_software()
    {
        var owned = await server.OwnedVehicleAsync(model: "Macan Electric");
        var options = new SimulatedVehicleOptions { Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 5 };
        await using var car = new SimulatedVehicle(options);
        await car.ConnectAsync().WaitAsync(Patience);
        for (var i = 0; i < 30; i++)
        {
            await server.RegisterVehicleAsync("Cayenne", 2024); // more than a page of other cars
        }

        var page = await SignedInStaffAsync("admin");
        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));
        await Expect(page.Locator("header nav")).Not.ToContainTextAsync("My vehicles");

        await page.GotoAsync("/admin/vehicles");
        await Expect(page.Locator("nav.pager")).ToContainTextAsync("Page 1 of");
        await page.GetByLabel("Find (VIN, registration or model)").FillAsync(owned.Vin[^6..].ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        await Expect(page.Locator("#vehicle-count")).ToHaveTextAsync("1 vehicles");
        await page.GetByRole(AriaRole.Link, new() { Name = owned.Vin }).ClickAsync();

        await Expect(page.Locator("h1")).ToContainTextAsync(owned.Vin);
        await Expect(page.Locator("#link")).ToHaveAttributeAsync("data-online", "true");
        await Expect(page.Locator("#users tr[data-role='primary']")).ToContainTextAsync(owned.Owner.Email);
        await Expect(page.Locator("#software")).ToContainTextAsync(options.Software[0].Version);
        await Expect(page.Locator("#contracts")).ToContainTextAsync("Connect Care");
        await PortalBrowser.ScreenshotAsync(page, "admin-vehicle");
    }

    [Fact]
    public async Task An_administrator_creates_a_package_with_its_price_in_euros_and_errors_at_the_fields()
    {
        var page = await SignedInStaffAsync("admin");
        await page.GotoAsync("/admin/packages");
        var id = $"winter_{Random.Shared.Next(1000, 9999)}";
        await page.GetByLabel("Id (lower-case letters, digits and _)").FillAsync(id);
        await page.GetByLabel("Price", new() { Exact = true }).FillAsync("twelve");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create package" }).ClickAsync();
        await Expect(page.Locator("#new-price-error")).ToContainTextAsync("e.g. 89.00");
        await Expect(page.Locator("#new-name-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#new-services-error")).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("Id (lower-case letters, digits and _)")).ToHaveValueAsync(id); // what was typed stays

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Winter comfort");
        await page.GetByLabel("Climate control").CheckAsync();
        await page.GetByLabel("Price", new() { Exact = true }).FillAsync("49,50");
        await page.GetByLabel("Models and years").FillAsync("Taycan 2020-, 911 2011-2019");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create package" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Winter comfort");
        await Expect(page.Locator($"#package-list tr[data-package='{id}'] input[name=price]")).ToHaveValueAsync("49.50");

        var package = (await server.Get<PackageStore>().FindAsync(id, CancellationToken.None))!;
        Assert.Equal(4950, package.PriceMinor);
        Assert.Equal(["climate"], package.Services);
        Assert.Equal([new FitRule("Taycan", 2020, null), new FitRule("911", 2011, 2019)], package.Fits);
    }

    [Fact]
    public async Task An_administrator_registers_a_partner_sees_its_secret_once_rotates_it_and_removes_the_client()
    {
        var page = await SignedInStaffAsync("admin");
        await page.GotoAsync("/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Apps and partners" }).ClickAsync();
        await Expect(page.Locator("#client-list tr[data-client='pitwall-app']")).ToContainTextAsync("First-party app");
        await Expect(page.Locator("#client-list tr[data-client='pitwall-app'] button")).ToHaveCountAsync(0); // built in: kept

        await page.GetByLabel("Kind").SelectOptionAsync("partner");
        await page.GetByLabel("Redirect URIs").FillAsync("https://fleet.example/cb");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register client" }).ClickAsync();
        await Expect(page.Locator("#name-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#uris-error")).ToContainTextAsync("no redirect URIs");
        await Expect(page.Locator("#scopes-error")).Not.ToBeEmptyAsync();

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Fleet Co");
        await page.GetByLabel("Redirect URIs").FillAsync("");
        await page.GetByLabel("read_dealer").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Register client" }).ClickAsync();
        var clientId = (await page.Locator("#shown-client-id").TextContentAsync())!;
        var secret = (await page.Locator("#shown-secret").TextContentAsync())!;
        await Expect(page.Locator("#client-list tr[data-client='" + clientId + "']")).ToContainTextAsync("Partner back end");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await ClientCredentialsAsync(clientId, secret)).StatusCode);

        await page.GotoAsync("/admin/clients");
        await Expect(page.Locator("#shown-secret")).ToHaveCountAsync(0); // shown once only
        await page.Locator($"#client-list tr[data-client='{clientId}']").GetByRole(AriaRole.Button, new() { Name = "New secret" }).ClickAsync();
        var rotated = (await page.Locator("#shown-secret").TextContentAsync())!;
        Assert.NotEqual(secret, rotated);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await ClientCredentialsAsync(clientId, secret)).StatusCode);

        await page.Locator($"#client-list tr[data-client='{clientId}']").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.Locator("#removed")).ToContainTextAsync(clientId);
        await Expect(page.Locator($"#client-list tr[data-client='{clientId}']")).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await ClientCredentialsAsync(clientId, rotated)).StatusCode);
    }

    private Task<HttpResponseMessage> ClientCredentialsAsync(string clientId, string secret) =>
        server.Client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "read_dealer",
        }));

    [Theory]
    [InlineData("soc_operator", "/soc")]
    [InlineData("authority", "/authority")]
    [InlineData("assistance_agent", "/assistance")]
    public async Task Staff_land_on_their_console_and_their_menu_has_no_vehicles_of_their_own(string role, string home)
    {
        var page = await SignedInStaffAsync(role);
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(home) + "$"));
        await Expect(page.Locator("header nav")).Not.ToContainTextAsync("My vehicles");
    }

    private async Task<IPage> SignedInStaffAsync(string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        await server.Get<AccountAdministration>().CreateUserAsync(email, "Staff Member", role, "a staff password", CancellationToken.None);
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync("a staff password");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.Locator("header nav")).ToContainTextAsync("Sign out");
        return page;
    }
}
