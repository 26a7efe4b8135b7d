using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Charging.Commands;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>
/// Credit notes correct an issued invoice; the invoice itself never changes (§14 UStG: an issued invoice is corrected by another
/// document). A credit note has its own gapless series (<c>PWL-CN-2026-000001</c>), taken in its transaction like an invoice's, names
/// the invoice it corrects, and carries negative amounts: the whole invoice (every charge negated) or a part of it (one gross amount at
/// the invoice's single VAT rate). The credit notes of an invoice never exceed it. A credit note of a paid invoice is paid back to the
/// card (idempotency key: its number); one of an unpaid invoice lowers what the collection charges.
/// </summary>
internal sealed class CreditNotes(Database database, InvoiceRun run, IOptions<ChargingOptions> options, TimeProvider time)
{
    public async Task<(StoredInvoice? Note, Refusal? Refusal)> IssueAsync(string invoiceNumber, string reason, decimal? amount, CancellationToken cancellationToken)
    {
        try
        {
            return await database.WriteAsync<(StoredInvoice?, Refusal?)>(async (c, t) =>
            {
                var now = time.GetUtcNow();
                // Takes the invoice's row first: two corrections of one invoice wait for each other (PostgreSQL; SQLite has one writer).
                await c.ExecuteAsync("UPDATE charging_invoices SET updated_at = @now WHERE number = @invoiceNumber",
                    new { now = now.ToUnixTimeMilliseconds(), invoiceNumber }, t);
                if (await InvoiceStore.FindAsync(c, t, invoiceNumber) is not { Kind: InvoiceNumbers.Invoice } invoice)
                {
                    return (null, Refusal.NotFound("No such invoice."));
                }
                var credited = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(gross_minor), 0) FROM charging_invoices WHERE corrects = @invoiceNumber",
                    new { invoiceNumber }, t);
                var remaining = invoice.GrossMinor + credited;
                if (remaining <= 0)
                {
                    return (null, ChargingRefusals.FullyCredited);
                }
                var items = amount is null ? Negated(invoice.Items) : Part(invoice, amount.Value);
                if (items is null)
                {
                    return (null, ChargingRefusals.CreditNeedsOneVatRate);
                }
                var net = items.Sum(i => i.Net);
                var vat = InvoiceNumbers.Vat(items).Sum(v => v.Vat);
                var gross = InvoiceNumbers.Minor(net + vat);
                if (gross >= 0 || -gross > remaining)
                {
                    return (null, ChargingRefusals.CreditExceedsInvoice(InvoiceNumbers.Major(remaining), invoice.Currency));
                }
                var year = TimeZoneInfo.ConvertTime(now, run.Zone).Year;
                var series = InvoiceNumbers.Series(InvoiceNumbers.CreditNote, year);
                var seq = await InvoiceStore.NextNumberAsync(c, t, series);
                var note = invoice with
                {
                    Number = InvoiceNumbers.Format(options.Value.PartyId, InvoiceNumbers.CreditNote, year, seq),
                    Kind = InvoiceNumbers.CreditNote,
                    IssuedAt = now,
                    NetMinor = InvoiceNumbers.Minor(net),
                    VatMinor = InvoiceNumbers.Minor(vat),
                    GrossMinor = gross,
                    Items = items,
                    Corrects = invoice.Number,
                    Reason = reason,
                    PaymentState = invoice.PaymentState == PaymentStates.Paid ? PaymentStates.RefundOpen : PaymentStates.Settled,
                    PaymentReference = null,
                };
                await InvoiceStore.InsertAsync(c, t, note, series, seq, run.RetentionFrom(now), now);
                return (note, null);
            }, cancellationToken);
        }
        catch (System.Data.Common.DbException e) when (InvoiceRun.IsUniqueViolation(e))
        {
            return (null, Refusal.Conflict(ErrorCodes.Conflict, "Another correction of this invoice was issued at the same moment; try again."));
        }
    }

    private static List<InvoiceItem> Negated(IEnumerable<InvoiceItem> items) =>
        [.. items.Select(i => i with { Components = [.. i.Components.Select(c => c with { Quantity = -c.Quantity, Net = -c.Net })] })];

    /// <summary>A part of the invoice, <paramref name="gross"/> including VAT, at the invoice's one VAT rate; null when it has several.</summary>
    private static List<InvoiceItem>? Part(StoredInvoice invoice, decimal gross)
    {
        var rates = invoice.Items.SelectMany(i => i.Components).Select(c => c.VatRate).Distinct().ToList();
        if (rates.Count != 1)
        {
            return null;
        }
        var net = Math.Round(Math.Abs(gross) / (1 + rates[0] / 100), 2, MidpointRounding.AwayFromZero);
        var first = invoice.Items[0];
        return [first with { Components = [new InvoiceComponent("CORRECTION", -1, net, -net, rates[0])], EnergyKwh = 0 }];
    }
}
