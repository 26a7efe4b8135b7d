using System.Net.Http.Json;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>The owner's charging invoices in Debian's Chromium: the list, the invoice as a page with its total, its PDF, and the
/// page in German.</summary>
public sealed class InvoicePortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task The_months_invoice_is_listed_shown_with_its_total_and_downloaded_as_pdf_in_english_and_german()
    {
        var (driver, card) = await server.DriverWithCardAsync();
        await using var cpo = await server.RegisteredCpoAsync("PIN");
        await server.ChargedAsync(cpo, "PIN", card, 21.5m);
        var period = server.EndOfMonth();
        var owner = await server.FreshAsync(driver);
        await server.PayByCardAsync(owner);
        await (await server.AdminAsync()).PostAsJsonAsync("/api/v1/admin/charging/invoice-runs", new { period = period.Label });
        var number = (await owner.InvoicesAsync()).Single().GetProperty("number").GetString()!;

        var page = await browser.SignedInPageAsync(server, driver.Owner);
        await page.GotoAsync("/profile");
        await page.Locator("#invoices-link").ClickAsync();
        await Expect(page.Locator("#payment-card")).ToContainTextAsync("4242");
        var row = page.Locator($"#invoices tr[data-number='{number}']");
        await Expect(row.Locator(".total")).ToHaveTextAsync("9.98 EUR");
        await row.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Expect(page.Locator("#invoice-title")).ToContainTextAsync(number);
        await Expect(page.Locator("#customer")).ToContainTextAsync("Test Owner");
        await Expect(page.Locator("#invoice-items tbody tr")).ToHaveCountAsync(2); // the charge and its energy
        await Expect(page.Locator("#invoice-net")).ToHaveTextAsync("8.39 EUR");
        await Expect(page.Locator("#invoice-total")).ToHaveTextAsync("9.98 EUR");
        await PortalBrowser.ScreenshotAsync(page, "charging-invoice");
        var pdf = await page.APIRequest.GetAsync($"/account/invoices/{number}?handler=Pdf");
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..4]));

        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await page.ReloadAsync();
        await Expect(page.Locator("#invoice-title")).ToContainTextAsync("Rechnung " + number);
        await Expect(page.Locator("#invoice-payment")).ToContainTextAsync("Endung 4242");
    }
}
