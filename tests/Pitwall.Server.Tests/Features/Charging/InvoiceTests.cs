using System.Net;
using System.Net.Http.Json;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Charging.Invoices;
using Pitwall.Server.Tests.Features.Notifications.Channels;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator.Cpo;
using UglyToad.PdfPig;

namespace Pitwall.Server.Tests.Features.Charging;

/// <summary>
/// The monthly invoice (G2) end to end: an RFID card at a station, real-time authorisation, the session, the CDR, and the month's
/// invoice priced by the operator's tariff with the right total, as JSON, PDF and e-mail; gapless numbers under concurrent runs; a
/// run that starts again issues nothing twice; credit notes; the card number never stored.
/// </summary>
public abstract class InvoiceTests(PitwallServer server, SmtpPeer smtp)
{
    [Fact]
    public async Task An_rfid_charge_ends_on_the_months_invoice_with_the_tariffs_total_as_json_pdf_and_e_mail()
    {
        var (driver, card) = await server.DriverWithCardAsync();
        await using var cpo = await server.RegisteredCpoAsync("INV");
        Assert.Equal(HttpStatusCode.Created, (await cpo.Client.PutLocationAsync(OcpiObjects.Location("DE", "INV", InvoiceSetup.Mannheim, server.Clock.GetUtcNow()), CancellationToken.None)).Http);
        var token = (await cpo.Client.AllTokensAsync(100, CancellationToken.None)).Single(t => (string?)t["uid"] == card.GetProperty("uid").GetString());
        var log = new StringWriter();
        Assert.True(await new CpoScenario(server.Client, server.Clock, log).ChargeAsync(cpo.Client, InvoiceSetup.Mannheim, token, 21.5m, CancellationToken.None), log.ToString());
        var cardToken = await server.PayByCardAsync(driver.Client);

        var period = server.EndOfMonth();
        var admin = await server.AdminAsync();
        var client = await server.FreshAsync(driver);
        var ran = await admin.PostAsJsonAsync("/api/v1/admin/charging/invoice-runs", new { period = period.Label });
        Assert.Equal(HttpStatusCode.OK, ran.StatusCode);
        Assert.True((await ran.JsonAsync()).GetProperty("issued").GetInt32() >= 1);

        var listed = Assert.Single(await client.InvoicesAsync());
        var number = listed.GetProperty("number").GetString()!;
        Assert.Matches("^PWL-[0-9]{4}-[0-9]{6}$", number);
        // 21.5 kWh × 0.39 EUR = 8.385 → 8.39 net; VAT 19 % of 8.39 = 1.5941 → 1.59; total 9.98.
        Assert.Equal(9.98m, listed.GetProperty("total").GetDecimal());
        var invoice = await (await client.GetAsync($"/api/v1/me/invoices/{number}")).JsonAsync();
        Assert.Equal(8.39m, invoice.GetProperty("net").GetDecimal());
        Assert.Equal(1.59m, invoice.GetProperty("vat").GetDecimal());
        Assert.Equal("Test Owner", invoice.GetProperty("customer").GetProperty("name").GetString());
        Assert.Equal("4242", invoice.GetProperty("cardLast4").GetString());
        Assert.Equal(period.Label, invoice.GetProperty("period").GetString());
        Assert.Equal(card.GetProperty("contractId").GetString(), invoice.GetProperty("contractId").GetString());
        Assert.Equal("paid", invoice.GetProperty("paymentState").GetString());
        var component = invoice.GetProperty("items")[0].GetProperty("components")[0];
        Assert.Equal("ENERGY", component.GetProperty("type").GetString());
        Assert.Equal(21.5m, component.GetProperty("quantity").GetDecimal());
        Assert.Equal(InvoiceSetup.Mannheim.City, invoice.GetProperty("items")[0].GetProperty("city").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await (await server.DriverWithCardAsync()).Owner.Client.GetAsync($"/api/v1/me/invoices/{number}")).StatusCode);

        var pdf = await client.GetAsync($"/api/v1/me/invoices/{number}.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        using (var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            var text = string.Join("\n", document.GetPages().Select(p => p.Text));
            Assert.Contains(number, text);
            Assert.Contains("9.98 EUR", text);
            Assert.Contains("Test Owner", text);
            Assert.Contains("4242", text);
        }

        var mail = await MailToAsync(driver.Owner.Email);
        Assert.Contains("Charging invoice ready", mail);
        Assert.Contains(number, mail);

        // The run again: nothing twice.
        await admin.PostAsJsonAsync("/api/v1/admin/charging/invoice-runs", new { period = period.Label });
        Assert.Single(await client.InvoicesAsync());
        // Only the token and the last four digits are stored.
        var stored = await server.Get<Database>().ReadAsync(c => c.QueryAsync<string>(
            "SELECT token || ' ' || last4 FROM charging_payment_cards UNION ALL SELECT lines || customer_address || COALESCE(payment_token, '') FROM charging_invoices"), CancellationToken.None);
        Assert.DoesNotContain(stored, s => s.Contains("4242424242424242", StringComparison.Ordinal) || s.Contains("4242 4242", StringComparison.Ordinal));
        Assert.Contains(stored, s => s.StartsWith(cardToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_runs_number_every_invoice_once_without_gaps_and_a_resumed_run_issues_nothing_twice()
    {
        await using var cpo = await server.RegisteredCpoAsync("GAP");
        var drivers = new List<OwnedVehicle>();
        for (var i = 0; i < 8; i++)
        {
            var (driver, card) = await server.DriverWithCardAsync();
            await server.ChargedAsync(cpo, "GAP", card, 10m + i);
            await server.ChargedAsync(cpo, "GAP", card, 1m);
            drivers.Add(driver);
        }
        var period = server.EndOfMonth();
        var run = server.Get<InvoiceRun>();
        // A run that died after three accounts: the next runs, four of them at once, issue the rest.
        foreach (var driver in drivers.Take(3))
        {
            Assert.Single(await run.IssueAsync(driver.AccountId, period, CancellationToken.None));
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => run.RunAsync(period, CancellationToken.None))));
        await Task.WhenAll(drivers.Select(d => run.IssueAsync(d.AccountId, period, CancellationToken.None)));

        foreach (var driver in drivers)
        {
            var invoice = Assert.Single(await (await server.FreshAsync(driver)).InvoicesAsync());
            Assert.Equal(2, invoice.GetProperty("charges").GetInt32());
        }
        var year = TimeZoneInfo.ConvertTime(server.Clock.GetUtcNow(), run.Zone).Year;
        var series = InvoiceNumbers.Series(InvoiceNumbers.Invoice, year);
        var (seqs, last) = await server.Get<Database>().ReadAsync(async c => (
            (await c.QueryAsync<long>("SELECT seq FROM charging_invoices WHERE series = @series ORDER BY seq", new { series })).ToList(),
            await c.ExecuteScalarAsync<long>("SELECT last_number FROM charging_invoice_series WHERE series = @series", new { series })), CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Equal(seqs.Count, last);
        var doubly = await server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM charging_cdrs WHERE invoice_number IS NULL AND end_at < @end", new { end = period.End.ToUnixTimeMilliseconds() }), CancellationToken.None);
        Assert.Equal(0, doubly);
    }

    [Fact]
    public async Task A_credit_note_has_its_own_gapless_series_never_exceeds_the_invoice_and_is_paid_back()
    {
        await using var cpo = await server.RegisteredCpoAsync("CRN");
        var (whole, wholeCard) = await server.DriverWithCardAsync();
        var (part, partCard) = await server.DriverWithCardAsync();
        await server.ChargedAsync(cpo, "CRN", wholeCard, 21.5m);
        await server.ChargedAsync(cpo, "CRN", partCard, 21.5m);
        await server.PayByCardAsync(whole.Client);
        var period = server.EndOfMonth();
        var admin = await server.AdminAsync();
        await admin.PostAsJsonAsync("/api/v1/admin/charging/invoice-runs", new { period = period.Label });
        whole = whole with { Client = await server.FreshAsync(whole) };
        part = part with { Client = await server.FreshAsync(part) };
        var wholeNumber = (await whole.Client.InvoicesAsync()).Single().GetProperty("number").GetString()!;
        var partNumber = (await part.Client.InvoicesAsync()).Single().GetProperty("number").GetString()!;
        Assert.Equal("no_card", (await part.Client.InvoicesAsync()).Single().GetProperty("paymentState").GetString());

        var credited = await admin.PostAsJsonAsync($"/api/v1/admin/charging/invoices/{wholeNumber}/credit-notes", new { reason = "The station was out of order." });
        Assert.Equal(HttpStatusCode.Created, credited.StatusCode);
        var note = await credited.JsonAsync();
        Assert.Matches("^PWL-CN-[0-9]{4}-[0-9]{6}$", note.GetProperty("number").GetString()!);
        Assert.Equal(-9.98m, note.GetProperty("total").GetDecimal());
        Assert.Equal(wholeNumber, note.GetProperty("corrects").GetString());
        Assert.Equal("refund_open", note.GetProperty("paymentState").GetString());
        var again = await admin.PostAsJsonAsync($"/api/v1/admin/charging/invoices/{wholeNumber}/credit-notes", new { reason = "Twice." });
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "invoice_fully_credited");

        var partial = await (await admin.PostAsJsonAsync($"/api/v1/admin/charging/invoices/{partNumber}/credit-notes", new { reason = "Goodwill", amount = 2.00m })).JsonAsync();
        Assert.Equal(-2.00m, partial.GetProperty("total").GetDecimal()); // net 1.68 + VAT 0.32
        Assert.Equal("settled", partial.GetProperty("paymentState").GetString());
        var over = await admin.PostAsJsonAsync($"/api/v1/admin/charging/invoices/{partNumber}/credit-notes", new { reason = "Too much", amount = 9.00m });
        await over.AssertProblemAsync(HttpStatusCode.Conflict, "credit_exceeds_invoice");

        var numbers = new[] { note, partial }.Select(n => long.Parse(n.GetProperty("number").GetString()![^6..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(numbers[0] + 1, numbers[1]);
        await server.Get<InvoiceRun>().CollectAsync(CancellationToken.None);
        var mine = await whole.Client.InvoicesAsync();
        Assert.Equal(2, mine.Count);
        Assert.Equal("refunded", mine.Single(i => i.GetProperty("kind").GetString() == "credit_note").GetProperty("paymentState").GetString());
    }

    [Fact]
    public async Task A_month_that_is_not_over_is_not_invoiced_and_an_unknown_card_token_is_refused()
    {
        var admin = await server.AdminAsync();
        var month = InvoicePeriod.Containing(server.Clock.GetUtcNow().AddDays(40), server.Get<InvoiceRun>().Zone);
        await (await admin.PostAsJsonAsync("/api/v1/admin/charging/invoice-runs", new { period = month.Label })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var owner = await server.OwnedVehicleAsync();
        await (await owner.Client.PutAsJsonAsync("/api/v1/me/payment-card", new { token = "4242424242424242" })).AssertProblemAsync(HttpStatusCode.BadRequest, "unknown_payment_token");
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.PostAsJsonAsync("/local-payments/v1/tokens", new { number = "4242 4242 4242 4241" })).StatusCode);
    }

    private async Task<string> MailToAsync(string email)
    {
        for (var i = 0; i < 20; i++)
        {
            var mail = await smtp.NextAsync();
            if (mail.GetProperty("to").ToString().Contains(email, StringComparison.OrdinalIgnoreCase))
            {
                using var message = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail.GetProperty("data").GetString()!)));
                return message.Subject + "\n" + message.TextBody;
            }
        }
        throw new InvalidOperationException("No e-mail to " + email);
    }
}

public sealed class InvoicesOnSqlite(InvoiceSqliteServer server) : InvoiceTests(server, server.Smtp), IClassFixture<InvoiceSqliteServer>;

public sealed class InvoicesOnPostgres(InvoicePostgresServer server) : InvoiceTests(server, server.Smtp), IClassFixture<InvoicePostgresServer>;
