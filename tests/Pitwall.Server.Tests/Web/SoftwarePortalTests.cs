using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Tests.Features.SoftwareUpdates;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>Software updates in the portal (F3), in Debian's Chromium: the administrator's catalogue and campaigns, and the car's
/// software page where its users answer an offer and the primary user sets the preferences per kind of update.</summary>
public sealed class SoftwarePortalTests(UpdateSqliteServer server, PortalBrowser browser) : IClassFixture<UpdateSqliteServer>, IClassFixture<PortalBrowser>
{
    /// <summary>The portal's language as the language menu sets it (the account's own choice overrules the browser's).</summary>
    private Task InLanguageAsync(IPage page, string language) => page.Context.AddCookiesAsync(
        [new Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = server.Client.BaseAddress!.ToString() }]);

    private async Task<IPage> AdminPageAsync()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<AccountAdministration>().CreateUserAsync(email, "Admin", "admin", "an admin password", CancellationToken.None);
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync("an admin password");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.Locator("a[href='/admin']").First).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task An_administrator_uploads_a_module_bundles_a_set_and_starts_pauses_resumes_and_cancels_a_campaign_with_its_progress_drawn()
    {
        var owned = await server.OwnedVehicleAsync();
        var admin = await UpdateAdmin.SignInAsync(server);
        await admin.TargetAsync(owned.Vin, owned.Vin);
        var version = $"7.{Random.Shared.Next(1000, 9999)}";
        var page = await AdminPageAsync();
        await page.GotoAsync("/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Software updates" }).ClickAsync();

        var module = page.Locator("#new-module");
        await module.GetByLabel("Name").FillAsync("gateway-ecu");
        await module.GetByLabel("Version").FillAsync(version);
        await module.GetByLabel("Kind (os, application, firmware …)").FillAsync("firmware");
        await module.GetByRole(AriaRole.Button, new() { Name = "Add module" }).ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync($"Module gateway-ecu {version} added");
        var row = page.Locator($"#modules tr[data-module='gateway-ecu'][data-version='{version}']");
        await row.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "gateway.bin", MimeType = "application/octet-stream", Buffer = [.. Enumerable.Range(0, 3000).Select(i => (byte)i)],
        });
        await row.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Expect(row.Locator("li[data-file='gateway.bin']")).ToContainTextAsync("2.9 KiB");

        var set = page.Locator("#new-set");
        await set.GetByLabel("Name").FillAsync("Gateway");
        await set.GetByLabel("Version").FillAsync(version);
        await set.GetByLabel("Kind of update").SelectOptionAsync("security");
        await set.GetByLabel($"gateway-ecu {version}").CheckAsync();
        await set.GetByRole(AriaRole.Button, new() { Name = "Add distribution set" }).ClickAsync();
        await Expect(page.Locator($"#sets tr[data-set='Gateway'][data-version='{version}']")).ToContainTextAsync("Security fixes");

        await page.GetByRole(AriaRole.Link, new() { Name = "Campaigns" }).ClickAsync();
        var start = page.Locator("#new-campaign");
        var name = $"Gateway rollout {version}";
        await start.GetByLabel("Name").FillAsync(name);
        await start.GetByLabel("Distribution set").SelectOptionAsync(new SelectOptionValue { Label = $"Gateway {version}" });
        await start.GetByLabel("or these targets").FillAsync(owned.Vin);
        await start.GetByLabel("Waves (cumulative %)").FillAsync("100");
        await start.GetByLabel("From (HH:mm)").FillAsync("01:00");
        await start.GetByLabel("To (HH:mm)").FillAsync("04:30");
        await start.GetByLabel("Time zone (e.g. Europe/Berlin)").FillAsync("Europe/Berlin");
        await start.GetByRole(AriaRole.Button, new() { Name = "Start campaign" }).ClickAsync();
        var campaign = page.Locator($"section.campaign[data-campaign='{name}']");
        await Expect(campaign).ToHaveAttributeAsync("data-state", "running");
        await Expect(campaign.Locator(".window")).ToContainTextAsync("installs only 01:00–04:30 (Europe/Berlin)");
        await Expect(campaign.Locator("tr[data-wave='1'] .counts")).ToHaveTextAsync("0 installed, 0 failed, 0 cancelled, 0 not assigned, 1 open");
        await Expect(campaign.Locator("tr[data-wave='1'] svg rect.open")).ToHaveAttributeAsync("width", "100");
        await PortalBrowser.ScreenshotAsync(page, "software-campaign");

        await campaign.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(campaign).ToHaveAttributeAsync("data-state", "paused");
        await Expect(campaign.Locator(".reason")).ToContainTextAsync("paused by an administrator");
        await campaign.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(campaign).ToHaveAttributeAsync("data-state", "running");
        await campaign.GetByRole(AriaRole.Button, new() { Name = "Cancel campaign" }).ClickAsync();
        await Expect(campaign).ToHaveAttributeAsync("data-state", "canceled");
        await Expect(page.Locator("p.notice")).ToContainTextAsync("its open updates are being withdrawn");

        var german = await AdminPageAsync();
        await InLanguageAsync(german, "de");
        await german.GotoAsync("/admin/software/campaigns");
        await Expect(german.Locator("h1")).ToHaveTextAsync("Kampagnen");
        await Expect(german.Locator($"section.campaign[data-campaign='{name}'] .state")).ToHaveTextAsync("Kampagne abgebrochen");
    }

    [Fact]
    public async Task The_owner_postpones_then_accepts_an_offered_update_sets_a_preference_and_sees_the_installed_release_in_the_history()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var version = $"25.{Random.Shared.Next(1000, 9999)}";
        var (moduleId, _) = await admin.ModuleAsync("head-unit", version, "head-unit.img", [4, 5, 6]);
        var setId = await admin.SetAsync("Head unit apps", version, [moduleId], updateKind: "feature");
        var owned = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: new PrivacySettings());
        await LinkUpdateTests.PollAsync(car, "start");
        var actionId = await admin.AssignAsync(setId, owned.Vin, "soft");
        var page = await browser.SignedInPageAsync(server, owned.Owner);
        await page.GotoAsync($"/vehicles/{owned.Vin}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Software updates" }).ClickAsync();

        var offer = page.Locator($".offer[data-action='{actionId}']");
        await Expect(offer).ToContainTextAsync($"Update available: Head unit apps {version}");
        await Expect(offer).ToContainTextAsync("New features · optional");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Postpone by a day" }).ClickAsync();
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("The update is postponed.");
        await Expect(offer).ToHaveAttributeAsync("data-choice", "postponed");
        await Expect(offer.Locator(".choice")).ToContainTextAsync("Postponed until");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Install now" }).ClickAsync();
        await Expect(offer).ToHaveAttributeAsync("data-choice", "accepted");
        Assert.Equal("install", (await LinkUpdateTests.PollAsync(car, "after-accept")).OwnerDecision);

        await page.GetByLabel("Security fixes").SelectOptionAsync("ask");
        await page.Locator("#software-preferences").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync("Your preferences are saved");
        await Expect(page.GetByLabel("Security fixes")).ToHaveValueAsync("ask");
        await PortalBrowser.ScreenshotAsync(page, "software-owner");

        await LinkUpdateTests.ReportAsync(car, (ulong)actionId, "closed", "success");
        var french = await browser.SignedInPageAsync(server, owned.Owner);
        await InLanguageAsync(french, "fr");
        await french.GotoAsync($"/vehicles/{owned.Vin}/software");
        await Expect(french.Locator("h2").First).ToHaveTextAsync(new Regex("^Logiciel de "));
        await Expect(french.Locator($".history tr[data-action='{actionId}']")).ToContainTextAsync("Installée");
        await Expect(french.Locator(".installed")).ToContainTextAsync($"Installé : Head unit apps {version}");
        await Expect(french.Locator(".no-offer")).ToHaveTextAsync("Aucune mise à jour en attente.");
    }
}
