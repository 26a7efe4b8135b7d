using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The portal in Debian's Chromium against a real server and simulated cars.</summary>
public sealed partial class PortalBrowserTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private async Task<(IPage Page, TestUser Owner)> SignedInAsync(string locale = "en-GB")
    {
        var owner = await server.NewOwnerAsync();
        return (await browser.SignedInPageAsync(server, owner, locale), owner);
    }

    private async Task<(string Vin, SimulatedVehicle Car)> OwnedCarAsync(TestUser owner, double level = 60, string model = "Taycan")
    {
        var owned = await server.OwnedVehicleAsync(model, owner: owner);
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 11, StartLevel = level,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return (owned.Vin, car);
    }

    [Fact]
    public async Task An_owner_registers_pairs_a_car_watches_it_live_and_locks_it()
    {
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/register");
        await page.GetByLabel("Name").FillAsync("Browser Owner");
        await page.GetByLabel("E-mail").FillAsync($"browser-{Guid.NewGuid():N}@example.com");
        await page.GetByLabel("Password (at least 10 characters)").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/vehicles$"));

        var (vin, secret) = await server.RegisterVehicleAsync();
        var code = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = vin, Secret = secret, Seed = 12, RealisticCommandTimes = true,
        });
        car.PairingCodeShown += (_, shown) => code.TrySetResult(shown);
        await car.ConnectAsync().WaitAsync(Patience);
        await page.GetByLabel("VIN", new() { Exact = true }).FillAsync(vin);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show code in the car" }).ClickAsync();
        await page.GetByLabel("Code shown in the car").FillAsync(await code.Task.WaitAsync(Patience));
        await PortalBrowser.ScreenshotAsync(page, "pairing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pair", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/vehicles/{vin}$"));

        // The page follows the car without being reloaded.
        var mileage = page.Locator("[data-signal='Vehicle.TraveledDistance'] .value");
        await Expect(mileage).ToHaveTextAsync("not reported yet");
        await car.DriveAsync(TimeSpan.FromMinutes(2));
        await car.StopEngineAsync();
        await Expect(mileage).ToContainTextAsync(" km");
        var before = await mileage.TextContentAsync();
        await car.DriveAsync(TimeSpan.FromMinutes(3));
        await car.StopEngineAsync();
        await Expect(mileage).Not.ToHaveTextAsync(before!);
        await Expect(page.Locator("#online")).ToHaveTextAsync("online");
        await PortalBrowser.ScreenshotAsync(page, "dashboard");

        // Lock: the outcome appears when the car is done (it takes the car two seconds).
        await page.GetByRole(AriaRole.Button, new() { Name = "Lock", Exact = true }).ClickAsync();
        var command = page.Locator("#commands-panel tbody tr").First;
        await Expect(command).ToHaveAttributeAsync("data-state", "sent");
        car.Step(TimeSpan.FromSeconds(2));
        await Expect(command).ToHaveAttributeAsync("data-state", "performed");
        await Expect(page.Locator("[data-signal='Vehicle.Cabin.Door.Row1.DriverSide.IsLocked'] .value")).ToHaveTextAsync("yes");
        Assert.True(car.IsLocked);
        await PortalBrowser.ScreenshotAsync(page, "dashboard-locked");

        // The car's privacy switches (set in the car) are shown as it reports them, and follow a change live.
        var locationServices = page.Locator("#privacy-switches dd").Nth(2);
        await Expect(locationServices).ToHaveTextAsync("allowed");
        await car.SetPrivacyAsync(new PrivacySettings { LocationServicesDisabled = true });
        await Expect(locationServices).ToHaveTextAsync("switched off");
    }

    [Fact]
    public async Task Charging_shows_the_cars_state_and_a_timer_form_explains_mistakes_next_to_the_field()
    {
        var (page, owner) = await SignedInAsync();
        var (vin, car) = await OwnedCarAsync(owner, level: 40);
        await using var _ = car;
        await car.PlugInAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await page.GotoAsync($"/vehicles/{vin}/charging");
        await Expect(page.Locator("#charging")).ToContainTextAsync("charging");
        await Expect(page.Locator("#charging")).ToContainTextAsync("locked");

        await page.GetByLabel("Slot (1–5)").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send timer to the car" }).ClickAsync();
        await Expect(page.Locator("#time-error")).ToContainTextAsync("HH:mm");
        await Expect(page.Locator("#days-error")).ToHaveTextAsync("Choose the days to repeat the timer on, or a date for a one-off timer.");
        await Expect(page.GetByLabel("Slot (1–5)")).ToHaveValueAsync("2"); // what was typed stays

        await page.GetByLabel("Time (HH:mm)").FillAsync("06:30");
        await page.GetByLabel("Mon").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send timer to the car" }).ClickAsync();
        await Expect(page.Locator("#charge-timers")).ToContainTextAsync("06:30");
        Assert.Equal(1, car.ChargeTimers);
        await PortalBrowser.ScreenshotAsync(page, "charging");

        // A target out of range: explained in the page's words, never by the API's field name, and the typed value stays.
        await page.GetByLabel("Target state of charge (25–100 %)").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set target" }).ClickAsync();
        await Expect(page.Locator("#target-error")).Not.ToBeEmptyAsync();
        Assert.DoesNotContain("targetStateOfCharge", await page.Locator("main").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await Expect(page.GetByLabel("Target state of charge (25–100 %)")).ToHaveValueAsync("10");
    }

    [Fact]
    public async Task An_owner_buys_and_cancels_a_package_and_Car_Security_asks_for_its_data_next_to_each_field()
    {
        var (page, owner) = await SignedInAsync();
        var (vin, car) = await OwnedCarAsync(owner);
        await using var _ = car;
        await page.GotoAsync($"/vehicles/{vin}/packages");
        await Expect(page.Locator("#contracts")).ToContainTextAsync("included with the car");

        await page.Locator("#offers [data-package='navigation_plus'] button").ClickAsync();
        var price = (await server.Get<Pitwall.Server.Features.Contracts.PackageStore>().FindAsync("navigation_plus", CancellationToken.None))!.PriceMinor;
        await Expect(page.Locator("#confirm-price")).ToContainTextAsync($"{price / 100}.00 EUR for 12 months"); // nothing bought before the price is confirmed
        Assert.DoesNotContain(await page.Locator("#contracts").InnerTextAsync(), "Navigation Plus");
        await page.GetByRole(AriaRole.Button, new() { Name = "Buy now, with obligation to pay" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Bought: Navigation Plus.");
        var row = page.Locator("#contracts tr[data-package='navigation_plus']");
        await Expect(row).ToHaveAttributeAsync("data-state", "active");
        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel (no renewal)" }).ClickAsync();
        await Expect(page.Locator("#contracts tr[data-package='navigation_plus']")).ToContainTextAsync("cancelled");

        var security = page.Locator("#offers [data-package='car_security']");
        await security.GetByRole(AriaRole.Button, new() { Name = "Buy" }).ClickAsync();
        await Expect(page.Locator("#phones-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#answer-error")).Not.ToBeEmptyAsync();
        await page.GetByLabel("Phone numbers to call after a theft").FillAsync("+49 170 1234567, +49 (711) 123-456"); // as people write them
        await page.GetByLabel("Security question").FillAsync("Name of my first car?");
        await page.GetByLabel("Answer (stored only as a hash)").FillAsync("Blue Whale");
        await page.GetByLabel("Registration number").FillAsync("S-PW 911");
        await page.Locator("#offers [data-package='car_security'] button").ClickAsync();
        await Expect(page.Locator("#colour-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#phones-error")).ToBeEmptyAsync();
        await Expect(page.GetByLabel("Answer (stored only as a hash)")).ToHaveValueAsync("Blue Whale"); // what was typed stays
        await page.GetByLabel("Colour of the car").FillAsync("Frozen Blue");
        await page.Locator("#offers [data-package='car_security'] button").ClickAsync();
        await Expect(page.Locator("#confirm-price")).ToContainTextAsync("199.00 EUR for 12 months");
        await page.GetByRole(AriaRole.Button, new() { Name = "Buy now, with obligation to pay" }).ClickAsync();
        await Expect(page.Locator("#contracts tr[data-package='car_security']")).ToHaveAttributeAsync("data-state", "active");
        await PortalBrowser.ScreenshotAsync(page, "packages");
    }

    [Fact]
    public async Task An_administrator_registers_a_car_creates_a_user_and_reprices_a_package_and_owners_cannot()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<Pitwall.Server.Features.Accounts.AccountAdministration>().CreateUserAsync(email, "Admin", "admin", "an admin password", CancellationToken.None);
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync("an admin password");
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Administration" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Vehicles", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await Expect(page.Locator("#vin-error")).Not.ToBeEmptyAsync();
        var vin = $"WP0ZZZ99ZTS{Random.Shared.Next(100000, 999999)}";
        await page.GetByLabel("VIN", new() { Exact = true }).FillAsync(vin);
        await page.GetByLabel("Model", new() { Exact = true }).FillAsync("Taycan");
        await page.GetByLabel("Model year").FillAsync("2025");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await Expect(page.Locator("#registered")).ToContainTextAsync(vin);
        await Expect(page.Locator("#vehicle-list")).ToContainTextAsync(vin);
        await PortalBrowser.ScreenshotAsync(page, "admin-vehicles");

        await page.GotoAsync("/admin/users");
        var newUser = $"soc-{Guid.NewGuid():N}@example.com";
        await page.GetByLabel("E-mail").FillAsync(newUser);
        await page.GetByLabel("Name").FillAsync("Night Shift");
        await page.GetByLabel("Role").SelectOptionAsync("soc_operator");
        await page.GetByLabel("Password (at least 10 characters)").FillAsync("a long enough password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.Locator("#user-list")).ToContainTextAsync(newUser);

        await page.GotoAsync("/admin/packages");
        var row = page.Locator("#package-list tr[data-package='navigation_plus']");
        await Expect(row.Locator("input[name=price]")).ToHaveValueAsync("79.00"); // currency units, not cents
        await row.Locator("input[name=price]").FillAsync("89,00");
        await row.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Navigation Plus");
        Assert.Equal(8900, (await server.Get<Pitwall.Server.Features.Contracts.PackageStore>().FindAsync("navigation_plus", CancellationToken.None))!.PriceMinor);

        var (owner, _) = await SignedInAsync();
        await owner.GotoAsync("/admin/users");
        await Expect(owner.Locator("h1")).ToHaveTextAsync("Something went wrong");
        Assert.DoesNotContain(newUser, await owner.ContentAsync());
    }

    [Fact]
    public async Task Anyone_reads_the_data_category_register_and_an_administrator_sees_anonymous_use_and_what_retention_removed()
    {
        var visitor = await browser.NewPageAsync(server);
        await visitor.GotoAsync("/");
        await visitor.GetByRole(AriaRole.Link, new() { Name = "Privacy", Exact = true }).ClickAsync();
        await Expect(visitor).ToHaveURLAsync(new Regex("/privacy$"));
        await Expect(visitor.Locator("#register tbody tr")).ToHaveCountAsync(server.Get<Pitwall.Server.Data.Privacy.DataCategoryRegister>().All.Count);
        await Expect(visitor.Locator("#register tr[data-category='access_log']")).ToContainTextAsync("30 days");
        await Expect(visitor.Locator("#register tr[data-category='theft_cases']")).ToContainTextAsync("legal obligation");
        var sms = visitor.Locator("#register li[data-processor^='SMS gateway']");
        await Expect(sms).ToContainTextAsync("receives only: message id");
        await Expect(sms).Not.ToContainTextAsync("VIN");
        await PortalBrowser.ScreenshotAsync(visitor, "privacy-register");

        // An owner's use of the trips page is counted, without VIN or account.
        var (owner, user) = await SignedInAsync();
        var (vin, car) = await OwnedCarAsync(user);
        await using var _ = car;
        await owner.GotoAsync($"/vehicles/{vin}/trips");
        await server.Get<Pitwall.Server.Features.Privacy.RetentionSweeper>().SweepAsync(CancellationToken.None);

        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<Pitwall.Server.Features.Accounts.AccountAdministration>().CreateUserAsync(email, "Admin", "admin", "an admin password", CancellationToken.None);
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync("an admin password");
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Administration" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Privacy and usage" }).ClickAsync();
        await Expect(page.Locator("#usage-totals tr[data-service='trip_control'][data-channel='web']")).ToBeVisibleAsync();
        Assert.DoesNotContain(vin, await page.ContentAsync());
        await Expect(page.Locator("#retention-runs tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("#gateway-title")).ToHaveTextAsync("Kept from providers");
        await PortalBrowser.ScreenshotAsync(page, "admin-privacy");

        // A wrong range is explained next to its field.
        await page.GotoAsync("/admin/privacy?from=yesterday");
        await Expect(page.Locator("#from-error")).ToHaveTextAsync("A date is yyyy-MM-dd.");
        await page.GotoAsync("/admin/privacy?from=2026-02-01&to=2026-01-01");
        await Expect(page.Locator("#to-error")).ToContainTextAsync("at most 366 days later");

        await owner.GotoAsync("/admin/privacy");
        await Expect(owner.Locator("h1")).ToHaveTextAsync("Something went wrong");
    }

    [Fact]
    public async Task An_owner_withdraws_a_consent_downloads_their_data_and_deletes_the_account_from_the_profile()
    {
        var (page, owner) = await SignedInAsync();
        var (vin, car) = await OwnedCarAsync(owner);
        await using var _ = car;
        await server.ClientWith(owner.AccessToken).PostAsJsonAsync("/api/v1/me/consents", new { vin, purpose = "breakdown_data_sharing", scope = "case 7" });
        await page.GotoAsync("/profile");
        await Expect(page.Locator("#consents")).ToContainTextAsync("Share breakdown data with the assistance provider");
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();
        await Expect(page.Locator("#consents")).ToContainTextAsync("withdrawn");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export").ClickAsync());
        var path = await download.PathAsync();
        using var archive = System.IO.Compression.ZipFile.OpenRead(path!);
        Assert.Contains(archive.Entries, e => e.FullName == "account.json");
        using var reader = new StreamReader(archive.GetEntry("account.json")!.Open());
        Assert.Contains(owner.Email, await reader.ReadToEndAsync());
        await PortalBrowser.ScreenshotAsync(page, "profile");

        await page.Locator("#CurrentPassword").FillAsync("not my password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync();
        await Expect(page.Locator("#erase-error")).ToHaveTextAsync("Erasing the account needs its current password.");
        await page.Locator("#CurrentPassword").FillAsync(owner.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        Assert.Null(await server.Get<Pitwall.Server.Features.Accounts.AccountStore>().FindByEmailAsync(owner.Email, CancellationToken.None));
    }

    [Fact]
    public async Task A_car_whose_packages_lack_a_service_shows_it_as_not_included()
    {
        var (page, owner) = await SignedInAsync();
        var (vin, car) = await OwnedCarAsync(owner, model: "Prototype"); // no remote package fits it: only Connect Care
        await using var _ = car;
        await car.SendStatusAsync(Trigger.OnRequest);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await page.GotoAsync($"/vehicles/{vin}");
        await Expect(page.Locator("[data-signal='Vehicle.TraveledDistance'] .value")).ToHaveTextAsync("not included in this car's packages");
        await page.GotoAsync($"/vehicles/{vin}/charging");
        await Expect(page.Locator("#charging")).ToHaveTextAsync("not included in this car's packages");
    }

    [Fact]
    public async Task Another_owners_vehicle_page_is_not_found()
    {
        var (page, _) = await SignedInAsync();
        var other = await server.NewOwnerAsync();
        var (vin, car) = await OwnedCarAsync(other);
        await using var _ = car;
        var response = await page.GotoAsync($"/vehicles/{vin}");
        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        Assert.Equal(404, (await page.GotoAsync($"/vehicles/{vin}/charging"))!.Status);
        Assert.Equal(404, (await page.GotoAsync($"/vehicles/{vin}/packages"))!.Status);
    }

    [Fact]
    public async Task A_form_post_without_the_anti_forgery_token_is_refused_and_does_nothing()
    {
        var (page, owner) = await SignedInAsync();
        var (vin, car) = await OwnedCarAsync(owner);
        await using var _ = car;
        // Same cookies as the page, but no token: what a forged cross-site form would send.
        var forged = await page.APIRequest.PostAsync($"/vehicles/{vin}?handler=Command", new() { Form = page.APIRequest.CreateFormData().Set("type", "lock") });
        Assert.Equal(400, forged.Status);
        Assert.Empty(await server.Get<CommandStore>().HistoryAsync(vin, DateTimeOffset.MinValue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Sign_in_explains_what_is_missing_next_to_each_field_and_refuses_a_wrong_password()
    {
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/vehicles");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?ReturnUrl=%2Fvehicles$"));
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.Locator("#email-error")).ToHaveTextAsync("Enter your e-mail address.");
        await Expect(page.Locator("#password-error")).ToHaveTextAsync("Enter your password.");
        await page.Locator("#Email").FillAsync("nobody@example.com");
        await page.Locator("#Password").FillAsync("wrong password!");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The e-mail address or password is wrong.");
        await PortalBrowser.ScreenshotAsync(page, "sign-in");
    }

    [Fact]
    public async Task Signing_out_ends_the_session_so_the_cookie_no_longer_opens_pages()
    {
        var (page, _) = await SignedInAsync();
        var cookies = await page.Context.CookiesAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));

        // Even a copy of the old cookie is worthless now: its session was revoked.
        var replay = await browser.NewPageAsync(server);
        await replay.Context.AddCookiesAsync(cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
        await replay.GotoAsync("/vehicles");
        await Expect(replay).ToHaveURLAsync(new Regex("/signin"));
    }

    [Fact]
    public async Task Pages_speak_the_browsers_language_until_the_account_or_the_user_chooses_one()
    {
        var page = await browser.NewPageAsync(server, locale: "de-DE");
        await page.GotoAsync("/signin");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Anmelden");
        await Expect(page.GetByLabel("Passwort")).ToBeVisibleAsync();

        var owner = await server.NewOwnerAsync(); // an account in English: signing in switches to its language
        await page.Locator("#Email").FillAsync(owner.Email);
        await page.Locator("#Password").FillAsync(owner.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("My vehicles");

        await page.Locator("#language").SelectOptionAsync("fr");
        await page.Locator("footer button").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mes véhicules");
        Assert.Equal("fr", await page.Locator("html").GetAttributeAsync("lang"));
    }

    [Fact]
    public async Task A_vehicle_page_stays_under_300_KB_and_fits_a_phone_screen()
    {
        var (page, owner) = await SignedInAsync();
        var (vin, car) = await OwnedCarAsync(owner);
        await using var _ = car;
        var responses = new System.Collections.Concurrent.ConcurrentQueue<IResponse>();
        page.Response += (_, response) => responses.Enqueue(response);
        await page.SetViewportSizeAsync(375, 800);
        await page.GotoAsync($"/vehicles/{vin}", new() { WaitUntil = WaitUntilState.Load });
        await Expect(page.Locator("#commands-panel")).ToBeVisibleAsync();
        long bytes = 0;
        foreach (var response in responses.ToArray().Where(r => !r.Url.Contains("/portal/events", StringComparison.Ordinal) && !r.Url.Contains("/tiles/", StringComparison.Ordinal)))
        {
            bytes += (await response.BodyAsync()).Length;
        }
        Assert.InRange(bytes, 1, 300 * 1024);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling at phone width");
        await PortalBrowser.ScreenshotAsync(page, "dashboard-phone");
    }
}
