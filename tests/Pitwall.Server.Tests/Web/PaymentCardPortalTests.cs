using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Charging.Invoices;
using Pitwall.Server.Tests.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The payment card page and the administrators' invoice runs in Debian's Chromium: the card number goes from the browser to
/// the local payment provider only, Pitwall stores its token and last four digits; an administrator runs a month and sees it listed.</summary>
public sealed class PaymentCardPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private const string Number = "4242 4242 4242 4242";

    [Fact]
    public async Task A_card_entered_in_the_portal_reaches_only_the_payment_provider_and_pitwall_keeps_its_token_and_last_four_digits()
    {
        var (driver, _) = await server.DriverWithCardAsync();
        var page = await browser.SignedInPageAsync(server, driver.Owner);
        var posted = new List<(string Url, string Body)>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST")
            {
                posted.Add((request.Url, request.PostData ?? ""));
            }
        };
        await page.GotoAsync("/account/invoices");
        await Expect(page.Locator("#payment-card")).ToContainTextAsync("No payment card");
        await page.Locator("#payment-card-link").ClickAsync();
        await Expect(page.Locator("#current-card")).ToContainTextAsync("No payment card");

        // A number that fails the provider's check: said at the form, nothing stored.
        await page.GetByLabel("Card number").FillAsync("4242 4242 4242 4241");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the card" }).ClickAsync();
        await Expect(page.Locator("#card-error")).ToHaveTextAsync("The payment provider did not accept this card number.");
        Assert.Null(await server.Get<PaymentCardStore>().FindAsync(driver.AccountId, CancellationToken.None));

        await page.GetByLabel("Card number").FillAsync(Number);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the card" }).ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync("the card ending in 4242");
        await Expect(page.Locator("#current-card")).ToContainTextAsync("Card ending in 4242 (visa)");
        await PortalBrowser.ScreenshotAsync(page, "payment-card");

        // The number went to the provider's card entry and nowhere else; Pitwall got the token.
        var digits = Number.Replace(" ", "", StringComparison.Ordinal);
        var withNumber = posted.Where(p => p.Body.Replace(" ", "", StringComparison.Ordinal).Contains(digits, StringComparison.Ordinal)).ToList();
        Assert.All(withNumber, p => Assert.EndsWith("/local-payments/v1/tokens", new Uri(p.Url).AbsolutePath, StringComparison.Ordinal));
        Assert.NotEmpty(withNumber);
        var saved = posted.Single(p => new Uri(p.Url).AbsolutePath == "/account/payment-card");
        Assert.Contains("Token=lpt_", saved.Body, StringComparison.Ordinal);
        var stored = await server.Get<PaymentCardStore>().FindAsync(driver.AccountId, CancellationToken.None);
        Assert.Equal("4242", stored!.Last4);
        Assert.StartsWith("lpt_visa_4242_", stored.Token, StringComparison.Ordinal);
        Assert.DoesNotContain(digits, stored.Token, StringComparison.Ordinal);

        await page.GotoAsync("/account/invoices");
        await Expect(page.Locator("#payment-card")).ToContainTextAsync("4242");

        // In German, and removed.
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await page.GotoAsync("/account/payment-card");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Zahlungskarte");
        await page.GetByRole(AriaRole.Button, new() { Name = "Karte entfernen" }).ClickAsync();
        await Expect(page.Locator("#current-card")).ToContainTextAsync("Keine Zahlungskarte");
        Assert.Null(await server.Get<PaymentCardStore>().FindAsync(driver.AccountId, CancellationToken.None));
    }

    [Fact]
    public async Task An_administrator_runs_a_closed_month_from_the_invoice_runs_page_and_sees_it_listed_and_a_second_run_issues_nothing()
    {
        var (driver, card) = await server.DriverWithCardAsync();
        await using var cpo = await server.RegisteredCpoAsync("PRN");
        await server.ChargedAsync(cpo, "PRN", card, 21.5m);
        await server.PayByCardAsync(driver.Client);
        var period = server.EndOfMonth();

        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<AccountAdministration>().CreateUserAsync(email, "Ada Admin", "admin", "an admin password", CancellationToken.None);
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync("an admin password");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Charging invoice runs" }).ClickAsync();
        await Expect(page.Locator("#Period")).ToHaveValueAsync(new Regex(@"^\d{4}-\d{2}$")); // the last closed month (a day after its end) by default

        // A month that is not over is refused at the form.
        await page.Locator("#Period").FillAsync("2099-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the invoices" }).ClickAsync();
        await Expect(page.Locator(".error[role=alert]")).ToContainTextAsync("This month is not over yet.");

        await page.Locator("#Period").FillAsync(period.Label);
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the invoices" }).ClickAsync();
        await Expect(page.Locator("#run-outcome")).ToHaveTextAsync($"{period.Label}: 1 invoices issued, 1 payments collected, 0 declined.");
        var row = page.Locator($"#invoice-runs tr[data-period='{period.Label}']");
        await Expect(row.Locator(".invoices")).ToHaveTextAsync("1");
        await Expect(row.Locator(".total")).ToHaveTextAsync("9.98 EUR");
        await Expect(row.Locator(".paid")).ToHaveTextAsync("1");
        await PortalBrowser.ScreenshotAsync(page, "admin-invoice-runs");

        await page.Locator("#Period").FillAsync(period.Label);
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the invoices" }).ClickAsync();
        await Expect(page.Locator("#run-outcome")).ToHaveTextAsync($"{period.Label}: 0 invoices issued, 0 payments collected, 0 declined.");
        await Expect(row.Locator(".invoices")).ToHaveTextAsync("1");
    }
}
