using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Features.LocationAlarm;

/// <summary>The location alarm page in Debian's Chromium against a real server and a simulated car.</summary>
public sealed class GeofencesBrowserTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private async Task<(IPage Page, string Vin, SimulatedVehicle Car)> SignedInWithCarAsync()
    {
        var owner = await server.NewOwnerAsync();
        var page = await browser.SignedInPageAsync(server, owner);

        var owned = await server.OwnedVehicleAsync(owner: owner);
        var car = new SimulatedVehicle(new SimulatedVehicleOptions { Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 21 });
        await car.ConnectAsync().WaitAsync(Patience);
        return (page, owned.Vin, car);
    }

    [Fact]
    public async Task An_owner_draws_a_geofence_on_the_map_sees_it_listed_and_confirmed_and_mistakes_are_explained_next_to_the_fields()
    {
        var (page, vin, car) = await SignedInWithCarAsync();
        await using var _ = car;
        await page.GotoAsync($"/vehicles/{vin}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Location alarm" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/vehicles/{vin}/geofences$"));
        await Expect(page.Locator("#geofence-list")).ToContainTextAsync("No areas yet.");

        // The server explains what is wrong, next to each field.
        await page.GetByLabel("Radius (100–50 000 m)").FillAsync("50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save area" }).ClickAsync();
        await Expect(page.Locator("#name-error")).ToContainTextAsync("1 to 40 characters");
        await Expect(page.Locator("#latitude-error")).ToContainTextAsync("between -90 and 90");
        await Expect(page.Locator("#radius-error")).ToContainTextAsync("between 100 and 50000");

        // A click on the map sets the centre and shows the circle before it is saved.
        var map = page.Locator("#geofence-map");
        await map.ClickAsync(new() { Position = new() { X = 180, Y = 140 } });
        await Expect(page.GetByLabel("Latitude (°)")).Not.ToHaveValueAsync("");
        var latitude = double.Parse(await page.GetByLabel("Latitude (°)").InputValueAsync(), CultureInfo.InvariantCulture);
        var longitude = double.Parse(await page.GetByLabel("Longitude (°)").InputValueAsync(), CultureInfo.InvariantCulture);
        Assert.InRange(latitude, 48.5, 49.0);
        Assert.InRange(longitude, 8.9, 9.5);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Home");
        await page.GetByLabel("Radius (100–50 000 m)").FillAsync("800");
        await page.GetByLabel("Notify on", new() { Exact = true }).SelectOptionAsync("enter");
        await Expect(page.Locator("path.geofence-preview")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save area" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Area saved");
        var row = page.Locator("#geofences tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Home");
        await Expect(row).ToContainTextAsync("800 m");
        await Expect(row).ToContainTextAsync("entering");
        await Expect(page.Locator("path.geofence-circle")).ToHaveCountAsync(1);
        // The car applies the area and acks it; the page follows without a reload.
        await Expect(row.Locator(".state")).ToHaveTextAsync("confirmed by the car", new() { Timeout = 30_000 });
        Assert.Single(car.Geofences);
        await PortalBrowser.ScreenshotAsync(page, "geofences");

        // The crossing appears in the history as it happens.
        car.MoveTo(new GeoPosition(latitude, longitude));
        car.Step(TimeSpan.FromSeconds(31));
        await Expect(page.Locator("#geofence-history tbody tr")).ToContainTextAsync("entered");
        await Expect(page.Locator("#live-notices")).ToContainTextAsync("Your car entered the area \"Home\".");

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete area Home" }).ClickAsync();
        await Expect(page.Locator("#geofence-list")).ToContainTextAsync("No areas yet.");
        await Expect(page.Locator("path.geofence-circle")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_form_works_with_typed_coordinates_in_German()
    {
        var (page, vin, car) = await SignedInWithCarAsync();
        await using var _ = car;
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await page.GotoAsync($"/vehicles/{vin}/geofences");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Büro");
        await page.GetByLabel("Breitengrad (°)").FillAsync("48.7758");
        await page.GetByLabel("Längengrad (°)").FillAsync("9.1829");
        await page.GetByLabel("Radius (100–50 000 m)").FillAsync("300");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bereich speichern" }).ClickAsync();
        await Expect(page.Locator("#geofences tbody tr")).ToContainTextAsync("Büro");
        await Expect(page.Locator("#geofences tbody tr")).ToContainTextAsync("Erreichen und Verlassen");
        await Expect(page.Locator("path.geofence-circle")).ToHaveCountAsync(1);
    }
}
