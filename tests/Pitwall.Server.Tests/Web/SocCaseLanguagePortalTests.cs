using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Pitwall.Server.Tests.Infrastructure.CarSecuritySetup;

namespace Pitwall.Server.Tests.Web;

/// <summary>The authority's own file number on a case, entered on its page and shown on the security centre's, and the
/// security centre's case page in the operator's language (German), in Debian's Chromium.</summary>
public sealed class SocCaseLanguagePortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private async Task<IPage> SignedInAsync(string email, string landing, string locale = "en-GB")
    {
        var page = await browser.NewPageAsync(server, locale);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(StaffPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"{landing}$"));
        return page;
    }

    [Fact]
    public async Task The_authority_notes_its_file_number_and_a_German_operator_reads_the_case_in_German_with_that_number()
    {
        var (owned, _) = await server.SecuredVehicleAsync(SecurityDetails());
        await using var car = await server.ConnectCarAsync(owned, 91, Patience);
        var (_, authorityEmail) = await server.CreateStaffAsync("authority", "Polizei Esslingen");
        var police = await SignedInAsync(authorityEmail, "/authority");
        await police.GetByLabel("VIN (17 characters)").FillAsync(owned.Vin);
        await police.GetByLabel("Registration number").FillAsync("S-PW 911");
        await police.GetByLabel("Your file number").FillAsync("ES-1");
        await police.GetByRole(AriaRole.Button, new() { Name = "Start tracking" }).ClickAsync();
        await Expect(police).ToHaveURLAsync(new Regex("/authority/cases/[0-9a-f-]+$"));
        var id = police.Url.Split('/')[^1];

        // The authority changes its file number on the case.
        await police.Locator("#reference-form").GetByLabel("Your file number").FillAsync("ES-2026-0815");
        await police.GetByRole(AriaRole.Button, new() { Name = "Save the file number" }).ClickAsync();
        await Expect(police.Locator("p.notice[role=status]")).ToHaveTextAsync("Your file number is noted.");
        await Expect(police.Locator("#case-state")).ToContainTextAsync("ES-2026-0815");

        // A German-speaking operator opens the case: every text in German, the authority's file number beside its name.
        var (_, operatorEmail) = await server.CreateStaffAsync("soc_operator", "Gerd Operator");
        var soc = await SignedInAsync(operatorEmail, "/soc", "de-DE");
        await soc.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await soc.GotoAsync($"/soc/cases/{id}");
        await Expect(soc.Locator("#case-summary")).ToContainTextAsync("Polizei Esslingen, Az. ES-2026-0815");
        await Expect(soc.Locator("#case-state")).ToContainTextAsync("An die Behörde übergeben");
        await Expect(soc.Locator("#case-state")).ToContainTextAsync("Ortung von der Behörde gestartet");
        await Expect(soc.Locator("#contact-title")).ToHaveTextAsync("Halter kontaktieren");
        await Expect(soc.Locator("#timeline-title")).ToHaveTextAsync("Verlauf");
        await Expect(soc.GetByRole(AriaRole.Link, new() { Name = "GPX-Track" })).ToBeVisibleAsync();
        await Expect(soc.Locator("#claim-first")).ToContainTextAsync("Übernehmen Sie den Fall");
        await soc.GetByRole(AriaRole.Button, new() { Name = "Fall übernehmen" }).ClickAsync();
        await Expect(soc.Locator("#message")).ToHaveTextAsync("Sie bearbeiten den Fall jetzt.");
        await Expect(soc.Locator("#work-title")).ToHaveTextAsync("Ortung und Übergabe");
        await Expect(soc.GetByLabel("Ergebnis des Falls")).ToBeVisibleAsync();
        // The car's tracking messages read in German too, with German numbers.
        await Expect(soc.Locator("#timeline tr[data-kind='tracking']").First).ToContainTextAsync("Kilometerstand", new() { Timeout = 30_000 });
        await PortalBrowser.ScreenshotAsync(soc, "soc-case-de");
    }
}
