using System.Globalization;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Features.SmartService;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Features.Dealers;

/// <summary>The owner's Smart Service and dealer pages and the dealer console in Debian's Chromium against a real server (and a
/// simulated car, which shows the dealer's answer).</summary>
public sealed class DealerPortalBrowserTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_owner_sees_the_chart_books_what_is_due_with_a_chosen_dealer_the_dealer_confirms_in_its_console_and_reads_the_car()
    {
        var setup = new DealerSetup(server);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var dealerId = await setup.DealerAsync($"Autohaus Portal {tag}");
        var staffEmail = $"staff-{tag}@example.com";
        var admin = await setup.AdminAsync();
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(admin, $"/api/v1/admin/dealers/{dealerId}/staff",
            new { email = staffEmail, name = "Sam Service", password = "a dealer password" })).EnsureSuccessStatusCode();
        var owned = await server.OwnedVehicleAsync("911", 2024);

        // A few days of driving wear the brakes; a misfire is stored in the fault memory.
        await using var car = await WornCar.DriveAsync(server, owned, days: 4);

        var owner = await browser.SignedInPageAsync(server, owned.Owner);
        await owner.GotoAsync($"/vehicles/{owned.Vin}");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Smart Service", Exact = true }).ClickAsync();
        await Expect(owner.Locator("#service-components tr[data-component='brake_pads_front']")).ToContainTextAsync("reports; the trend");
        var chart = owner.GetByRole(AriaRole.Img, new() { Name = "Brake pads (front) over time" });
        await Expect(chart).ToBeVisibleAsync();
        var reports = int.Parse((await chart.GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture);
        Assert.True(reports >= 3, "a report a day");
        Assert.Equal(reports, await chart.Locator("polyline").EvaluateAsync<int>("p => p.points.numberOfItems")); // a point per report
        await Expect(owner.Locator("#service-faults")).ToContainTextAsync("Cylinder 1 Misfire Detected");
        await PortalBrowser.ScreenshotAsync(owner, "smart-service");

        // "Book an appointment": the dealer page, its request prefilled with what is due; first a dealer is chosen.
        await owner.GetByRole(AriaRole.Link, new() { Name = "Book an appointment" }).ClickAsync();
        await Expect(owner.Locator("#preferred-dealer")).ToContainTextAsync("No dealer chosen.");
        await Expect(owner.GetByLabel("Reason (empty: what is due)")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Due: .*P0301"));
        await owner.GetByLabel("Name, city or postal code").FillAsync($"Portal {tag}");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(owner.Locator("#dealer-map .dealer-marker")).ToHaveCountAsync(1);
        await owner.Locator($"#dealer-directory li[data-dealer='{dealerId}'] button").ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("Your dealer is chosen.");
        await Expect(owner.Locator("#preferred-dealer")).ToContainTextAsync($"Autohaus Portal {tag}");

        // A wished time outside the opening hours is explained; one within them goes to the dealer with what is due.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, berlin).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await owner.GetByLabel("Wished time 1 (the dealer's local time)").FillAsync(Local(setup.Weekday(3, 21)));
        await owner.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Expect(owner.Locator("#request-form")).ToContainTextAsync("opening hours");
        await owner.GetByLabel("Wished time 1 (the dealer's local time)").FillAsync(Local(setup.Weekday(3, 10)));
        await owner.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("Your request went to the dealer");
        await Expect(owner.Locator("#appointments tbody tr")).ToHaveAttributeAsync("data-state", "requested");
        await Expect(owner.Locator("#appointments tbody tr")).ToContainTextAsync("P0301");

        // A dealer's account lands in its console and confirms.
        var dealer = await browser.NewPageAsync(server);
        await dealer.GotoAsync("/signin");
        await dealer.Locator("#Email").FillAsync(staffEmail);
        await dealer.Locator("#Password").FillAsync("a dealer password");
        await dealer.Locator("main button[type=submit]").ClickAsync();
        await Expect(dealer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dealer$"));
        var row = dealer.Locator("#dealer-appointments tbody tr");
        await Expect(row).ToContainTextAsync("Cylinder 1 Misfire Detected");
        await row.Locator("form.confirm button").ClickAsync();
        await Expect(dealer.GetByRole(AriaRole.Status)).ToContainTextAsync("The appointment is confirmed");
        await Expect(row).ToHaveAttributeAsync("data-state", "confirmed");
        var shown = await car.WaitForFrameAsync(e => e.AppointmentStatus?.State == Pitwall.Protocol.V1.AppointmentStatus.Types.State.Confirmed).WaitAsync(Patience);
        Assert.Equal($"Autohaus Portal {tag}", shown.Envelope.AppointmentStatus.DealerName); // the car's display shows the answer
        await row.GetByRole(AriaRole.Link, new() { Name = owned.Vin }).ClickAsync();
        await Expect(dealer.Locator("h1")).ToContainTextAsync(owned.Vin);
        await Expect(dealer.Locator("#dealer-health")).ToContainTextAsync("brake_pads_front");
        await Expect(dealer.Locator("#dealer-faults")).ToContainTextAsync("P0301");
        await PortalBrowser.ScreenshotAsync(dealer, "dealer-console-car");

        await owner.ReloadAsync();
        await Expect(owner.Locator("#appointments tbody tr")).ToHaveAttributeAsync("data-state", "confirmed");
        await Expect(owner.GetByRole(AriaRole.Link, new() { Name = "Add to calendar" })).ToBeVisibleAsync();
        await Expect(owner.Locator("#dealer-reads tbody tr")).ToHaveCountAsync(3);
        await Expect(owner.Locator("#dealer-reads")).ToContainTextAsync($"Autohaus Portal {tag}");
        await PortalBrowser.ScreenshotAsync(owner, "dealer-owner");

        // Another dealer's console does not open the car (a fresh administrator: the clock moved past the first one's token).
        var later = new DealerSetup(server);
        var other = await later.StaffAsync(await later.DealerAsync($"Andere {tag}"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await other.Client.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/health")).StatusCode);
    }
}
