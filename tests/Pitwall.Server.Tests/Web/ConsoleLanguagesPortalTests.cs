using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Pitwall.Server.Tests.Infrastructure.CarSecuritySetup;

namespace Pitwall.Server.Tests.Web;

/// <summary>The security centre's queue and the authority's pages in the reader's language, in Debian's Chromium: a French
/// operator searches, filters and claims in French and reads the workflow's refusals with their numbers in French; a German
/// authority starts tracking, notes its file number and prints the report in German with times in its time zone.</summary>
public sealed class ConsoleLanguagesPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Signed in as staff in a browser of <paramref name="locale"/> in Berlin, the portal in <paramref name="language"/>.</summary>
    private async Task<IPage> SignedInAsync(string email, string landing, string locale, string language)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Client.BaseAddress!.ToString(), Locale = locale, TimezoneId = "Europe/Berlin",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(StaffPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"{landing}$"));
        await context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = server.Client.BaseAddress!.ToString() }]);
        await page.GotoAsync(landing);
        return page;
    }

    [Fact]
    public async Task A_French_operator_searches_filters_and_claims_in_French_and_reads_refusals_with_their_numbers_in_French()
    {
        var (owned, _) = await server.SecuredVehicleAsync(SecurityDetails());
        await using var car = await server.ConnectCarAsync(owned, 93, Patience);
        Assert.True(await car.StartTheftAsync(TheftReason.UnauthorisedMovement));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var (_, email) = await server.CreateStaffAsync("soc_operator", "Odile Opératrice");
        var page = await SignedInAsync(email, "/soc", "fr-FR", "fr");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Centre de sécurité : file d'attente");
        await Expect(page.Locator("#feed-state")).ToHaveTextAsync("en direct");
        var row = page.Locator($"#queue tr[data-vin='{owned.Vin}']");
        await Expect(row).ToContainTextAsync("Déplacement non autorisé");
        await Expect(row).ToContainTextAsync("en mode vol");
        await Expect(row.Locator(".holder")).ToHaveTextAsync("personne");

        // The search and the filter speak French; a search that finds nothing says how many open cases there are.
        await page.GetByLabel("Rechercher (VIN ou numéro de dossier)").FillAsync("ZZZZZ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Expect(page.Locator("#queue")).ToHaveTextAsync(new Regex(@"^Aucun des \d+ dossiers ouverts ne correspond\.$"));
        await page.GetByLabel("Rechercher (VIN ou numéro de dossier)").FillAsync(owned.Vin[^6..]);
        await page.GetByLabel("Afficher").SelectOptionAsync("theft_mode");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Expect(page.Locator("#queue tbody tr")).ToHaveCountAsync(1);
        await PortalBrowser.ScreenshotAsync(page, "soc-queue-fr");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Prendre en charge le dossier de {owned.Vin}" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/soc/cases/[0-9a-f-]+$"));
        await Expect(page.Locator("#message")).ToHaveTextAsync("Vous traitez désormais le dossier.");

        // The workflow's refusals with numbers in them, in French, next to their fields.
        await page.Locator("#IntervalSeconds").FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Définir l'intervalle" }).ClickAsync();
        await Expect(page.Locator("#interval-error")).ToHaveTextAsync("10 à 3600 secondes.");
        await page.GetByLabel("Numéro appelé").SelectOptionAsync("2");
        await page.Locator("#CallOutcome").SelectOptionAsync("no_answer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Consigner l'appel" }).ClickAsync();
        await Expect(page.Locator("#contact-error")).ToHaveTextAsync("Appelez les numéros enregistrés dans l'ordre : le numéro 1 est le suivant.");
    }

    [Fact]
    public async Task A_German_authority_tracks_a_car_notes_its_file_number_and_prints_the_report_in_German_with_readable_times()
    {
        var (owned, _) = await server.SecuredVehicleAsync(SecurityDetails());
        await using var car = await server.ConnectCarAsync(owned, 94, Patience);
        var (_, email) = await server.CreateStaffAsync("authority", "Polizei Böblingen");
        var page = await SignedInAsync(email, "/authority", "de-DE", "de");

        await Expect(page.Locator("h1")).ToHaveTextAsync("An Sie übergebene Diebstahlfälle");
        await Expect(page.Locator("#cases")).ToHaveTextAsync("Keine Fälle.");
        await Expect(page.Locator("#feed-state")).ToHaveTextAsync("live");
        // Without a file number: the refusal names its limit in German, at the field, and keeps what was typed.
        await page.GetByLabel("FIN (17 Zeichen)").FillAsync(owned.Vin);
        await page.GetByLabel("Kennzeichen").FillAsync(Registration);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ortung starten" }).ClickAsync();
        await Expect(page.Locator("#reference-error")).ToHaveTextAsync("Ihr Aktenzeichen, 1 bis 100 Zeichen.");
        await Expect(page.GetByLabel("FIN (17 Zeichen)")).ToHaveValueAsync(owned.Vin);
        await page.GetByLabel("Ihr Aktenzeichen").FillAsync("BB-2026-17");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ortung starten" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/authority/cases/[0-9a-f-]+$"));
        var id = page.Url.Split('/')[^1];

        await Expect(page.Locator("p.notice[role=status]")).ToHaveTextAsync(
            "Ortung angefordert: Das Fahrzeug sendet seine Positionen, sobald es wieder online ist.");
        await Expect(page.Locator("#case-state")).ToContainTextAsync("An die Behörde übergeben");
        await Expect(page.Locator("#case-state")).ToContainTextAsync("Ortung von der Behörde gestartet");
        await Expect(page.Locator("#case-state")).ToContainTextAsync(new Regex(@"Eröffnet\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\+\d"));
        await Expect(page.Locator("#timeline-title")).ToHaveTextAsync("Ortungsmeldungen");
        await Expect(page.Locator("#timeline tr[data-kind='tracking']").First).ToContainTextAsync("Kilometerstand", new() { Timeout = 30_000 });
        await page.Locator("#reference-form").GetByLabel("Ihr Aktenzeichen").FillAsync("BB-2026-17a");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aktenzeichen speichern" }).ClickAsync();
        await Expect(page.Locator("p.notice[role=status]")).ToHaveTextAsync("Ihr Aktenzeichen ist vermerkt.");
        await PortalBrowser.ScreenshotAsync(page, "authority-case-de");

        // The list names the case in the same words.
        await page.GotoAsync("/authority");
        var row = page.Locator($"#cases tr[data-case='{id}']");
        await Expect(row).ToContainTextAsync("Ortung angefordert");
        await Expect(row).ToContainTextAsync("An die Behörde übergeben");
        await Expect(row).ToContainTextAsync("BB-2026-17a");
        await PortalBrowser.ScreenshotAsync(page, "authority-cases-de");

        // The printable report: German, the case pages' words, times as the portal writes them in the reader's zone.
        await page.GotoAsync($"/authority/cases/{id}/report");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Diebstahlbericht");
        var summary = page.Locator("#summary");
        await Expect(summary).ToContainTextAsync("Ortung von der Behörde gestartet");
        await Expect(summary).ToContainTextAsync(new Regex(@"Aktenzeichen der Behörde\s*BB-2026-17a"));
        await Expect(summary).ToContainTextAsync("An die Behörde übergeben");
        await Expect(summary).ToContainTextAsync(new Regex(@"Eröffnet\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\+\d"));
        await Expect(page.Locator("#positions th").First).ToHaveTextAsync("Wann");
        await Expect(page.Locator("#positions tbody tr").First).ToContainTextAsync("Zündung");
        await Expect(page.Locator("#course")).ToContainTextAsync("Fall eröffnet");
        await Expect(page.Locator("#course")).ToContainTextAsync("Aktenzeichen der Behörde");
        Assert.DoesNotMatch(new Regex(@"\d{4}-\d{2}-\d{2}T\d"), await page.Locator("body").InnerTextAsync()); // no ISO stamps
        await PortalBrowser.ScreenshotAsync(page, "authority-report-de");
    }
}
