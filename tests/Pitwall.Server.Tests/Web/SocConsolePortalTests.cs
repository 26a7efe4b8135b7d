using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Microsoft.Playwright.Assertions;
using static Pitwall.Server.Tests.Infrastructure.CarSecuritySetup;

namespace Pitwall.Server.Tests.Web;

/// <summary>The security centre's console, the authority's view and the owner's Car Security page in Debian's Chromium,
/// against a real server and a simulated car in theft mode.</summary>
public sealed class SocConsolePortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private sealed record Staff(string AccountId, string Email, string Name);

    private async Task<Staff> StaffAsync(string role, string name)
    {
        var (accountId, email) = await server.CreateStaffAsync(role, name);
        return new Staff(accountId, email, name);
    }

    private async Task<IPage> SignedInAsync(string email, string landing, string password = StaffPassword, string locale = "en-GB")
    {
        var page = await browser.NewPageAsync(server, locale);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"{landing}$"));
        return page;
    }

    /// <summary>An owner's car with Car Security bought (B2 data given), connected and told its services.</summary>
    private async Task<(OwnedVehicle Owned, SimulatedVehicle Car)> SecuredCarAsync(int seed)
    {
        var (owned, _) = await server.SecuredVehicleAsync(SecurityDetails());
        return (owned, await server.ConnectCarAsync(owned, seed, Patience));
    }

    private static async Task<int> PointsAsync(IPage page) =>
        int.Parse(await page.Locator("#case-map").GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_SOC_operator_works_a_theft_case_live_and_hands_it_to_the_authority_which_sees_only_that_case_and_takes_the_GPX()
    {
        var (owned, car) = await SecuredCarAsync(41);
        await using var _ = car;
        var soc = await StaffAsync("soc_operator", "Olga Operator");
        var authority = await StaffAsync("authority", "Polizei Stuttgart");
        var otherAuthority = await StaffAsync("authority", "Polizei München");

        // The operator's console: the queue follows the SOC feed; the car's theft appears without a reload.
        var page = await SignedInAsync(soc.Email, "/soc");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Security centre" })).ToBeVisibleAsync();
        await Expect(page.Locator("#feed-state")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator($"#queue tr[data-vin='{owned.Vin}']")).ToHaveCountAsync(0);
        Assert.True(await car.StartTheftAsync(TheftReason.UnauthorisedMovement));
        var row = page.Locator($"#queue tr[data-vin='{owned.Vin}']");
        await Expect(row).ToContainTextAsync("Unauthorised movement");
        await Expect(row).ToContainTextAsync("theft mode");
        await Expect(row.Locator(".holder")).ToHaveTextAsync("nobody");
        await PortalBrowser.ScreenshotAsync(page, "soc-queue");

        // Claimed from the queue, the case opens; the track grows on the map as the car drives.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Claim the case of {owned.Vin}" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/soc/cases/[0-9a-f-]+$"));
        var id = page.Url.Split('/')[^1];
        await Expect(page.Locator("#message")).ToHaveTextAsync("You hold the case now.");
        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-held-by", "me");
        await Expect(page.Locator("#feed-state")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator("#case-state")).ToContainTextAsync(Registration);
        await Expect(page.Locator("#security-question")).ToHaveTextAsync("Name of my first car?");
        var before = await PointsAsync(page);
        Assert.True(before >= 1, "the first tracking message is on the map");
        await car.DriveAsync(TimeSpan.FromMinutes(2), speed: 15);
        await Expect(page.Locator("#case-map")).Not.ToHaveAttributeAsync("data-points", before.ToString(CultureInfo.InvariantCulture));
        Assert.True(await PointsAsync(page) > before);
        await Expect(page.Locator("path.track-line")).ToHaveCountAsync(1);
        await Expect(page.Locator("#timeline tr[data-kind='tracking']").First).ToContainTextAsync("GSM cell 262-");

        // The tracking interval: the console's limits, explained next to the field; then the car gets the new one.
        await page.GetByLabel("Tracking interval (10–3600 s)").FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set the interval" }).ClickAsync();
        await Expect(page.Locator("#interval-error")).ToHaveTextAsync("10 to 3600 seconds.");
        await page.GetByLabel("Tracking interval (10–3600 s)").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set the interval" }).ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("Tracking interval set to 10 s");
        await car.WaitForFrameAsync(f => f.Configuration?.Theft?.TrackingIntervalSeconds == 10).WaitAsync(Patience);

        // The contact log: the numbers in order, the next one preselected; an outcome is required.
        await Expect(page.Locator("#phone-numbers li.next")).ToContainTextAsync("+491701234567");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log the call" }).ClickAsync();
        await Expect(page.Locator("#call-outcome-error")).ToContainTextAsync("One of: reached");
        await Expect(page.GetByLabel("Number called")).ToHaveValueAsync("1");
        await page.GetByLabel("Outcome of the call").SelectOptionAsync("no_answer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log the call" }).ClickAsync();
        await Expect(page.Locator("#contacts tr[data-index='1']")).ToContainTextAsync("No answer");
        await Expect(page.Locator("#phone-numbers li.next")).ToContainTextAsync("+49711123456");
        await Expect(page.GetByLabel("Number called")).ToHaveValueAsync("2");
        await page.GetByLabel("Outcome of the call").SelectOptionAsync("reached");
        await page.GetByLabel("Note on the call (optional)").FillAsync("Owner at home");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log the call" }).ClickAsync();
        await Expect(page.Locator("#contacts tr[data-index='2']")).ToContainTextAsync("Reached");
        await Expect(page.Locator("#phone-numbers li.next")).ToHaveCountAsync(0); // reached: the hint to call next stops

        // The identity check: the operator types what the caller says; only match or no match comes back.
        await page.GetByLabel("The caller's answer").FillAsync("Red Herring");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the answer" }).ClickAsync();
        await Expect(page.Locator("#identity-result")).ToHaveAttributeAsync("data-result", "no-match");
        await Expect(page.Locator("#identity-result")).ToContainTextAsync("2 attempts left");
        await Expect(page.GetByLabel("The caller's answer")).ToHaveValueAsync("");
        await page.GetByLabel("The caller's answer").FillAsync("blue whale");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the answer" }).ClickAsync();
        await Expect(page.Locator("#identity-result")).ToHaveAttributeAsync("data-result", "match");
        await Expect(page.Locator("#identity-verified")).ToHaveTextAsync("Identity verified");
        Assert.DoesNotContain("whale", await page.ContentAsync(), StringComparison.OrdinalIgnoreCase);

        // A note, then the outcome: theft confirmed needs the circumstances and an authority, chosen from the authorities.
        await page.GetByLabel("Add a note").FillAsync("Owner says the car was parked at the office.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the note" }).ClickAsync();
        await Expect(page.Locator("#timeline tr[data-action='note']")).ToContainTextAsync("parked at the office");
        await page.GetByLabel("Outcome of the case").SelectOptionAsync("theft_confirmed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the outcome" }).ClickAsync();
        await Expect(page.Locator("#circumstances-error")).ToContainTextAsync("What happened, for the authority");
        await page.GetByLabel("Authority", new() { Exact = true }).SelectOptionAsync(authority.AccountId);
        await page.GetByLabel("Circumstances for the authority").FillAsync("Taken from the office car park at night.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the outcome" }).ClickAsync();
        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-state", "handed_over");
        await Expect(page.Locator("#case-state")).ToContainTextAsync("Polizei Stuttgart");
        await Expect(page.Locator("#timeline tr[data-action='theft_confirmed']")).ToContainTextAsync("handed to the authority. → Polizei Stuttgart");
        await Expect(page.Locator("#report-links")).ToContainTextAsync("GPX track");
        await PortalBrowser.ScreenshotAsync(page, "soc-case");

        // E5: a time-limited key with which the SOC's map system fetches the track — without the VIN, without a sign-in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Map key for the map system (30 min)" }).ClickAsync();
        var keyUrl = await page.Locator("#map-key-url").TextContentAsync();
        using (var mapSystem = new HttpClient())
        {
            var track = await mapSystem.GetStringAsync(keyUrl);
            Assert.DoesNotContain(owned.Vin, track);
            Assert.True(System.Text.Json.JsonDocument.Parse(track).RootElement.GetArrayLength() >= before);
        }
        await page.ReloadAsync();
        await Expect(page.Locator("#map-key-url")).ToHaveCountAsync(0);

        // The authority signs in and sees that case alone, live, read-only; the GPX it downloads is well-formed GPX 1.1.
        var police = await SignedInAsync(authority.Email, "/authority");
        await Expect(police.Locator("#cases tr[data-case]")).ToHaveCountAsync(1);
        await Expect(police.Locator($"#cases tr[data-case='{id}']")).ToContainTextAsync(owned.Vin);
        await police.Locator($"#cases tr[data-case='{id}'] a").ClickAsync();
        await Expect(police).ToHaveURLAsync(new Regex($"/authority/cases/{id}$"));
        await Expect(police.Locator("#circumstances")).ToHaveTextAsync("Taken from the office car park at night.");
        await Expect(police.Locator("#feed-state")).ToHaveAttributeAsync("data-state", "live");
        Assert.DoesNotContain("+491701234567", await police.ContentAsync());
        await Expect(police.Locator("#claim-form, #contact-form, #identity-form, #outcome-form, #note-form")).ToHaveCountAsync(0); // read-only
        var seen = await PointsAsync(police);
        await car.DriveAsync(TimeSpan.FromSeconds(30), speed: 15);
        await Expect(police.Locator("#case-map")).Not.ToHaveAttributeAsync("data-points", seen.ToString(CultureInfo.InvariantCulture));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var positions = (await server.Get<TheftCaseStore>().TrackAsync(id, 0, 5000, CancellationToken.None)).Count(p => p.Latitude is not null);
        var download = await police.RunAndWaitForDownloadAsync(() => police.GetByRole(AriaRole.Link, new() { Name = "GPX track" }).ClickAsync());
        Assert.EndsWith(".gpx", download.SuggestedFilename, StringComparison.Ordinal);
        var gpx = new XmlDocument();
        gpx.Load(await download.PathAsync());
        var ns = new XmlNamespaceManager(gpx.NameTable);
        ns.AddNamespace("g", "http://www.topografix.com/GPX/1/1");
        Assert.Equal("1.1", gpx.DocumentElement!.GetAttribute("version"));
        Assert.Equal(positions, gpx.SelectNodes("//g:trk/g:trkseg/g:trkpt", ns)!.Count);
        await PortalBrowser.ScreenshotAsync(police, "authority");

        var other = await SignedInAsync(otherAuthority.Email, "/authority");
        await Expect(other.Locator("#cases")).ToHaveTextAsync("No cases.");
        Assert.Equal(404, (await other.GotoAsync($"/authority/cases/{id}"))!.Status);
        await Expect(other.Locator("h1")).ToHaveTextAsync("Not found");
        Assert.Equal(404, (await other.GotoAsync($"/authority/cases/{id}/report.gpx"))!.Status);
        await other.GotoAsync("/soc");
        await Expect(other.Locator("h1")).ToHaveTextAsync("Something went wrong");

        // Recovered: the operator closes the case; the authority's view follows live.
        await page.GetByLabel("Outcome of the case").SelectOptionAsync("recovered");
        await page.GetByLabel("Note (optional)").FillAsync("Found by the police.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the outcome" }).ClickAsync();
        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-state", "closed");
        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-outcome", "recovered");
        await Expect(police.Locator("#case-state")).ToHaveAttributeAsync("data-state", "closed");
        await car.WaitForFrameAsync(f => f.Configuration?.Theft?.EndedIncidentId is { Length: > 0 }).WaitAsync(Patience);
        await page.GotoAsync("/soc");
        await Expect(page.Locator($"#queue tr[data-case='{id}']")).ToHaveCountAsync(0);
        await Expect(page.Locator($"#closed tr[data-case='{id}']")).ToContainTextAsync("Recovered");

        // The audit log kept who did what, never the answer.
        var audit = await server.Get<TheftCaseStore>().AuditAsync(id, CancellationToken.None);
        foreach (var action in new[] { "claimed", "tracking_interval", "contact_attempt", "identity_check", "note", "theft_confirmed", "report", "closed" })
        {
            Assert.Contains(audit, e => e.Action == action);
        }
        Assert.Contains(audit, e => e.Action == "report" && e.ActorRole == "authority" && e.ActorAccountId == authority.AccountId);
        Assert.DoesNotContain(audit, e => e.Detail.Contains("whale", StringComparison.OrdinalIgnoreCase));

        // An owner cannot open the console (the portal's refusal page, as for the admin pages), nor its feed.
        var owner = await SignedInAsync(owned.Owner.Email, "/vehicles", owned.Owner.Password);
        await owner.GotoAsync("/soc");
        await Expect(owner.Locator("h1")).ToHaveTextAsync("Something went wrong");
        Assert.DoesNotContain(owned.Vin, await owner.Locator("main").InnerTextAsync());
        await owner.GotoAsync($"/soc/cases/{id}");
        await Expect(owner.Locator("h1")).ToHaveTextAsync("Something went wrong");
        var feed = await owner.APIRequest.GetAsync("/portal/events/soc", new() { MaxRedirects = 0 });
        Assert.NotEqual(200, feed.Status);
    }

    [Fact]
    public async Task The_console_page_is_light_fits_a_phone_and_its_forms_need_a_claim_and_the_CSRF_token()
    {
        var (owned, car) = await SecuredCarAsync(42);
        await using var _ = car;
        var soc = await StaffAsync("soc_operator", "Nina Night");
        var colleague = await StaffAsync("soc_operator", "Carl Colleague");
        Assert.True(await car.StartTheftAsync(TheftReason.Tampering));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var id = (await server.Get<TheftCaseStore>().QueueAsync(false, 500, CancellationToken.None)).Single(k => k.Vin == owned.Vin).Id;

        var page = await SignedInAsync(soc.Email, "/soc");
        await page.GotoAsync($"/soc/cases/{id}");
        var responses = new System.Collections.Concurrent.ConcurrentQueue<IResponse>();
        page.Response += (_, response) => responses.Enqueue(response);
        await page.SetViewportSizeAsync(360, 740);
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Load });
        await Expect(page.Locator("#claim-first")).ToBeVisibleAsync();
        await Expect(page.Locator("#contact-form")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling at phone width");
        long bytes = 0;
        // What the page loads, before tiles; not its feed, nor the panels it re-reads live.
        foreach (var response in responses.ToArray().Where(r => !r.Url.Contains("/portal/events", StringComparison.Ordinal) &&
                     !r.Url.Contains("/tiles/", StringComparison.Ordinal) && !r.Url.Contains("handler=Panels", StringComparison.Ordinal)))
        {
            bytes += (await response.BodyAsync()).Length;
        }
        Assert.InRange(bytes, 1, 300 * 1024);
        await page.SetViewportSizeAsync(1280, 900);

        // Without the anti-forgery token the claim is refused and nothing changes.
        var forged = await page.APIRequest.PostAsync($"/soc/cases/{id}?handler=Claim", new() { Form = page.APIRequest.CreateFormData().Set("id", id) });
        Assert.Equal(400, forged.Status);
        Assert.Null((await server.Get<TheftCaseStore>().FindAsync(id, CancellationToken.None))!.AssignedTo);

        // A case another operator holds cannot be claimed; the reason is next to the button. Handed over, it is the colleague's.
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim the case" }).ClickAsync();
        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-held-by", "me");
        var other = await SignedInAsync(colleague.Email, "/soc");
        await other.GotoAsync($"/soc/cases/{id}");
        await Expect(other.Locator("#case-state .holder")).ToHaveTextAsync("Nina Night");
        await other.GetByRole(AriaRole.Button, new() { Name = "Claim the case" }).ClickAsync();
        await Expect(other.Locator("#claim-error")).ToContainTextAsync("Another operator holds the case");
        await page.GetByLabel("Hand over to").SelectOptionAsync(colleague.AccountId);
        await page.GetByLabel("Note for the next operator (optional)").FillAsync("Shift change");
        await page.GetByRole(AriaRole.Button, new() { Name = "Hand over" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/soc$"));
        await Expect(page.Locator($"#queue tr[data-case='{id}'] .holder")).ToHaveTextAsync("Carl Colleague");
        await other.ReloadAsync();
        await Expect(other.Locator("#case-state")).ToHaveAttributeAsync("data-held-by", "me");
        await Expect(other.Locator("#timeline tr[data-action='handed_over_to_operator']")).ToContainTextAsync("Shift change");

        // The owner reads the case on the car's Car Security page, in German too.
        var owner = await SignedInAsync(owned.Owner.Email, "/vehicles", owned.Owner.Password, "de-DE");
        await owner.GotoAsync($"/vehicles/{owned.Vin}/security");
        await Expect(owner.Locator($"#theft-cases tr[data-case='{id}']")).ToHaveAttributeAsync("data-state", "open");
        await Expect(owner.Locator("#report-form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_owner_reports_a_theft_and_switches_trigger_reasons_off_for_a_time_but_never_all_of_them()
    {
        var (owned, car) = await SecuredCarAsync(43);
        await using var _ = car;
        var page = await SignedInAsync(owned.Owner.Email, "/vehicles", owned.Owner.Password);
        await page.GotoAsync($"/vehicles/{owned.Vin}/alarms");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Vehicle" }).GetByRole(AriaRole.Link, new() { Name = "Car Security", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/vehicles/{owned.Vin}/security$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Car Security", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("#theft-cases")).ToHaveTextAsync("No theft cases.");
        await Expect(page.Locator("#triggers li[data-enabled='true']")).ToHaveCountAsync(3);

        // Switched off for a time, with the limits explained next to the field.
        var alarm = page.Locator("#triggers li[data-reason='alarm']");
        await alarm.GetByLabel("Switch off for (1–720 hours)").FillAsync("0");
        await alarm.GetByRole(AriaRole.Button, new() { Name = "Switch off" }).ClickAsync();
        await Expect(page.Locator("#hours-alarm-error")).ToHaveTextAsync("Between 1 and 720 hours.");
        await alarm.GetByLabel("Switch off for (1–720 hours)").FillAsync("24");
        await alarm.GetByRole(AriaRole.Button, new() { Name = "Switch off" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Switched off until");
        await Expect(alarm).ToHaveAttributeAsync("data-enabled", "false");
        await car.WaitForFrameAsync(f => f.Configuration?.Theft?.SuspendedTriggers.Any(s => s.Reason == TheftReason.Alarm) == true).WaitAsync(Patience);
        var tampering = page.Locator("#triggers li[data-reason='tampering']");
        await tampering.GetByLabel("Switch off for (1–720 hours)").FillAsync("48");
        await tampering.GetByRole(AriaRole.Button, new() { Name = "Switch off" }).ClickAsync();
        await Expect(tampering).ToHaveAttributeAsync("data-enabled", "false");
        var movement = page.Locator("#triggers li[data-reason='unauthorised_movement']");
        await movement.GetByLabel("Switch off for (1–720 hours)").FillAsync("12");
        await movement.GetByRole(AriaRole.Button, new() { Name = "Switch off" }).ClickAsync();
        await Expect(page.Locator("#hours-unauthorised_movement-error")).ToContainTextAsync("at least one trigger reason stays on");
        await Expect(movement).ToHaveAttributeAsync("data-enabled", "true");
        await page.Locator("#triggers li[data-reason='alarm']").GetByRole(AriaRole.Button, new() { Name = "Switch on again" }).ClickAsync();
        await Expect(page.Locator("#triggers li[data-reason='alarm']")).ToHaveAttributeAsync("data-enabled", "true");

        // Reporting the theft opens a case the security centre sees, and the car starts tracking.
        await page.GetByLabel("Where and when did you last see the car? (optional)").FillAsync("Parked in front of the house at 22:00.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Report my car stolen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Theft reported.");
        await Expect(page.Locator("#theft-cases tr[data-state='open']")).ToContainTextAsync("The security centre is on it");
        await Expect(page.Locator("#report-form")).ToHaveCountAsync(0);
        await car.WaitForFrameAsync(f => f.Configuration?.Theft?.RequestedIncidentId is { Length: > 0 }).WaitAsync(Patience);
        var reported = Assert.Single(await server.Get<TheftCaseStore>().QueueAsync(false, 500, CancellationToken.None), k => k.Vin == owned.Vin && k.Source == "owner");
        // The operator who takes the case finds the owner's words ready to hand on to the authority.
        var console = await SignedInAsync((await StaffAsync("soc_operator", "Sam Shift")).Email, "/soc");
        await console.GotoAsync($"/soc/cases/{reported.Id}");
        await console.Locator("#claim-form button").ClickAsync();
        await Expect(console.Locator("#Circumstances")).ToHaveValueAsync("Parked in front of the house at 22:00.");

        // In German, the page speaks German; a stranger gets 404.
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await page.ReloadAsync();
        await Expect(page.Locator("#cases-title")).ToHaveTextAsync("Diebstahlfälle");
        await Expect(page.Locator("#triggers-title")).ToHaveTextAsync("Diebstahlerkennung");
        var stranger = await SignedInAsync((await server.NewOwnerAsync()).Email, "/vehicles");
        Assert.Equal(404, (await stranger.GotoAsync($"/vehicles/{owned.Vin}/security"))!.Status);
    }

    [Fact]
    public async Task Without_Car_Security_a_reported_theft_is_noted_and_the_package_waits_until_the_owner_says_the_car_is_back()
    {
        var owned = await server.OwnedVehicleAsync();
        var page = await SignedInAsync(owned.Owner.Email, "/vehicles", owned.Owner.Password);
        await page.GotoAsync($"/vehicles/{owned.Vin}/security");
        await Expect(page.Locator("#not-entitled")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Report my car stolen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Without Car Security nobody tracks your car");
        var noted = page.Locator("#uncovered-thefts li[data-ongoing='true']");
        await Expect(noted).ToContainTextAsync("Car Security cannot be bought until the car is back.");
        await Expect(page.Locator("#report-form")).ToHaveCountAsync(0);
        Assert.Empty(await server.Get<TheftCaseStore>().ForVehicleAsync(owned.Vin, CancellationToken.None));

        await page.GotoAsync($"/vehicles/{owned.Vin}/packages");
        await Expect(page.Locator("#offers li[data-package='car_security']")).ToContainTextAsync("not while the car is reported stolen");

        await page.GotoAsync($"/vehicles/{owned.Vin}/security");
        await noted.GetByRole(AriaRole.Button, new() { Name = "My car is back" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Car Security can be bought again.");
        await Expect(page.Locator("#uncovered-thefts li[data-ongoing='false']")).ToContainTextAsync("over since");
        await Expect(page.Locator("#report-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_authority_starts_tracking_a_car_by_VIN_and_registration_number_and_mistakes_are_explained_next_to_the_fields()
    {
        var (owned, car) = await SecuredCarAsync(44);
        await using var _ = car;
        var authority = await StaffAsync("authority", "Polizei Ulm");
        var page = await SignedInAsync(authority.Email, "/authority");
        await Expect(page.Locator("#cases")).ToHaveTextAsync("No cases.");

        await page.GetByLabel("VIN (17 characters)").FillAsync("NOT-A-VIN");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start tracking" }).ClickAsync();
        await Expect(page.Locator("#vin-error")).ToHaveTextAsync("17 characters of the ISO 3779 alphabet.");
        await Expect(page.Locator("#registration-error")).ToHaveTextAsync("The car's registration number.");
        await Expect(page.Locator("#reference-error")).ToContainTextAsync("file number");

        // A registration number that does not match reads as no such car: nothing to learn by guessing.
        await page.GetByLabel("VIN (17 characters)").FillAsync(owned.Vin);
        await page.GetByLabel("Registration number").FillAsync("B-XY 123");
        await page.GetByLabel("Your file number").FillAsync("UL-2026-0042");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start tracking" }).ClickAsync();
        await Expect(page.Locator("#track-error")).ToHaveTextAsync("No car with Car Security has this VIN and registration number.");
        Assert.DoesNotContain(await server.Get<TheftCaseStore>().ForVehicleAsync(owned.Vin, CancellationToken.None), k => !k.IsClosed);

        await page.GetByLabel("Registration number").FillAsync("s-pw911");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start tracking" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/authority/cases/[0-9a-f-]+$"));
        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-state", "handed_over");
        await Expect(page.Locator("#case-state")).ToContainTextAsync("UL-2026-0042");
        // The car is asked to track; its first position appears live.
        await car.WaitForFrameAsync(f => f.Configuration?.Theft?.RequestedIncidentId is { Length: > 0 }).WaitAsync(Patience);
        await Expect(page.Locator("#case-map")).Not.ToHaveAttributeAsync("data-points", "0");
        await Expect(page.Locator("#timeline tr[data-kind='tracking']")).Not.ToHaveCountAsync(0);
    }
}
