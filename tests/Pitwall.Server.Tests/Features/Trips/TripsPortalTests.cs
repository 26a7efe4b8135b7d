using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Features.Trips;

/// <summary>The portal's Trips page in Debian's Chromium against a real server and a simulated car.</summary>
public sealed class TripsPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private Task<IPage> SignedInAsync(TestUser owner) => browser.SignedInPageAsync(server, owner);

    [Fact]
    public async Task The_owner_opens_Trips_from_the_dashboard_and_follows_the_cars_drives_live_also_at_phone_width()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 13,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.DriveAsync(TimeSpan.FromMinutes(6));
        await car.StopEngineAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);

        var page = await SignedInAsync(owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Vehicle" }).GetByRole(AriaRole.Link, new() { Name = "Trips" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/vehicles/{owned.Vin}/trips$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Trips" })).ToHaveAttributeAsync("aria-current", "page");

        // Table headers name each figure and term (what a screen reader announces with every cell).
        var table = page.GetByRole(AriaRole.Table);
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Last drive" })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Since the last reset" })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Rowheader, new() { Name = "Distance (km)" })).ToBeVisibleAsync();
        var lastDistance = page.Locator("#trips tr[data-figure='distance'] td[data-term='short']");
        var first = car.LastTrip!;
        await Expect(lastDistance).ToHaveTextAsync(Kilometres(first.DistanceMetres));
        await Expect(page.Locator("#trips tr[data-figure='duration'] td[data-term='short']")).ToHaveTextAsync("00:06");
        await Expect(table.GetByRole(AriaRole.Rowheader, new() { Name = "Average consumption (kWh/100 km)" })).ToBeVisibleAsync();
        await Expect(page.Locator("#trips tr[data-figure='consumption'] td[data-term='short']")).ToHaveTextAsync(Tenths(first.ElectricKwhPer100Km!.Value));
        await PortalBrowser.ScreenshotAsync(page, "trips");

        // The next drive shows up without a reload; the long term adds both.
        await car.DriveAsync(TimeSpan.FromMinutes(3));
        await car.StopEngineAsync();
        await Expect(lastDistance).ToHaveTextAsync(Kilometres(car.LastTrip!.DistanceMetres));
        await Expect(page.Locator("#trips tr[data-figure='distance'] td[data-term='long']")).ToHaveTextAsync(Kilometres(car.TripsSinceReset.DistanceMetres));
        await Expect(page.Locator("#trips tr[data-figure='duration'] td[data-term='long']")).ToHaveTextAsync("00:09");

        // At phone width nothing spills sideways.
        await page.SetViewportSizeAsync(360, 740);
        await page.ReloadAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than the phone");
        await PortalBrowser.ScreenshotAsync(page, "trips-phone");
    }

    [Fact]
    public async Task In_German_the_page_speaks_German_and_a_car_without_Trip_Control_says_so()
    {
        var owned = await server.OwnedVehicleAsync("Taycan", 2019);
        var page = await SignedInAsync(owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}/trips");
        await page.GetByLabel("Language").SelectOptionAsync("de");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Fahrten" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("h2#trips-title")).ToHaveTextAsync("Fahrtstatistik");
        await Expect(page.Locator("#trips")).ToHaveTextAsync("nicht in den Paketen dieses Fahrzeugs enthalten");

        var stranger = await server.NewOwnerAsync();
        var other = await SignedInAsync(stranger);
        var response = await other.GotoAsync($"/vehicles/{owned.Vin}/trips");
        Assert.Equal(404, response!.Status);
    }

    [Fact]
    public async Task The_owner_keeps_a_trip_history_sees_each_drive_listed_and_charted_live_and_stopping_deletes_it()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 17,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        var page = await SignedInAsync(owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}/trips");
        await Expect(page.Locator("#trip-history")).ToContainTextAsync("No history is kept");
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep a trip history" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The trip history is being kept from now on.");
        await Expect(page.Locator("#trip-history")).ToHaveTextAsync("No drive has ended since the history was started.");

        // Each drive appears in the list and on the chart without a reload, newest first.
        await car.DriveAsync(TimeSpan.FromMinutes(6));
        await car.StopEngineAsync();
        var rows = page.Locator("#trip-history tbody tr");
        await Expect(rows).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(rows.Nth(0).Locator("td").Nth(2)).ToHaveTextAsync(Kilometres(car.LastTrip!.DistanceMetres));
        await car.DriveAsync(TimeSpan.FromMinutes(4));
        await car.StopEngineAsync();
        await Expect(rows).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(rows.Nth(0).Locator("td").Nth(2)).ToHaveTextAsync(Kilometres(car.LastTrip!.DistanceMetres));
        await Expect(rows.Nth(0).Locator("td").Nth(1)).ToHaveTextAsync("00:04");
        var chart = page.Locator("#trip-chart");
        await Expect(chart.Locator("canvas")).ToHaveCountAsync(1);
        await Expect(chart.Locator(".u-legend")).ToContainTextAsync("Charge level (%)");
        await Expect(chart.Locator(".u-legend")).ToContainTextAsync("Consumption (kWh/100 km)");
        Assert.True(await chart.Locator("canvas").EvaluateAsync<bool>("c => c.width > 200 && c.height > 100"), "the chart has no size");
        await PortalBrowser.ScreenshotAsync(page, "trip-history");

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop and delete the history" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The trip history was stopped and deleted.");
        await Expect(page.Locator("#trip-history")).ToContainTextAsync("No history is kept");
        await Expect(page.Locator("#trip-chart")).ToHaveCountAsync(0);
    }

    private static string Kilometres(double metres) => Tenths(metres / 1000);

    private static string Tenths(double value) => FormattableString.Invariant($"{Math.Round(value, 1, MidpointRounding.AwayFromZero):0.0}");
}
