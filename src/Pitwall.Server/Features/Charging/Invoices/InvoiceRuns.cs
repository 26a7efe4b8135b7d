using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>What one invoice run did (the admin API's and the CLI's answer).</summary>
public sealed record InvoiceRunResult(string Period, int Issued, int Collected, int Declined);

/// <summary>A month's invoicing as it stands: its invoices (issued first and last), their total and how their payments went, and the
/// credit notes that corrected them. One row per month and currency.</summary>
/// <param name="NoCard">Invoices to be paid by bank transfer (the account had no card when it was issued).</param>
public sealed record InvoiceRunSummary(
    string Period, string Currency, int Invoices, DateTimeOffset? FirstIssuedAt, DateTimeOffset? LastIssuedAt, decimal Invoiced, int Paid, int Open,
    int Declined, int NoCard, int CreditNotes, decimal Credited);

/// <summary>The invoice runs for the administration pages (Web pages use the Charging Service through this interface).</summary>
public interface IInvoiceRuns
{
    /// <summary>The invoiced months, newest first, at most <paramref name="months"/> of them.</summary>
    Task<IReadOnlyList<InvoiceRunSummary>> RecentAsync(int months, CancellationToken cancellationToken);

    /// <summary>The newest month that is over (and past the delay operators have for late CDRs): the default of a run.</summary>
    string LastClosedPeriod { get; }

    /// <summary>Runs a month (<c>yyyy-MM</c>; null: the last closed one): refused unless it is a month that is over.</summary>
    Task<(InvoiceRunResult? Result, Refusal? Refusal)> RunAsync(string? period, CancellationToken cancellationToken);
}

internal sealed class InvoiceRuns(Database database, InvoiceRun run) : IInvoiceRuns
{
    public string LastClosedPeriod => run.LastClosedPeriod().Label;

    public async Task<(InvoiceRunResult? Result, Refusal? Refusal)> RunAsync(string? period, CancellationToken cancellationToken)
    {
        var month = period is { } label ? InvoicePeriod.Parse(label, run.Zone) : run.LastClosedPeriod();
        if (month is null || !run.IsOver(month))
        {
            return (null, Refusal.Invalid("period", month is null ? "Give the month as yyyy-MM, e.g. 2026-11." : "This month is not over yet."));
        }
        return (await run.RunAsync(month, cancellationToken), null);
    }

    public async Task<IReadOnlyList<InvoiceRunSummary>> RecentAsync(int months, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<Row>(
            $"""
             SELECT period, currency,
                 SUM(CASE WHEN kind = '{InvoiceNumbers.Invoice}' THEN 1 ELSE 0 END) AS Invoices,
                 MIN(CASE WHEN kind = '{InvoiceNumbers.Invoice}' THEN issued_at END) AS FirstIssued,
                 MAX(CASE WHEN kind = '{InvoiceNumbers.Invoice}' THEN issued_at END) AS LastIssued,
                 SUM(CASE WHEN kind = '{InvoiceNumbers.Invoice}' THEN gross_minor ELSE 0 END) AS InvoicedMinor,
                 SUM(CASE WHEN kind = '{InvoiceNumbers.Invoice}' AND payment_state = '{PaymentStates.Paid}' THEN 1 ELSE 0 END) AS Paid,
                 SUM(CASE WHEN kind = '{InvoiceNumbers.Invoice}' AND payment_state = '{PaymentStates.Open}' THEN 1 ELSE 0 END) AS Open,
                 SUM(CASE WHEN kind = '{InvoiceNumbers.Invoice}' AND payment_state = '{PaymentStates.Failed}' THEN 1 ELSE 0 END) AS Declined,
                 SUM(CASE WHEN kind = '{InvoiceNumbers.Invoice}' AND payment_state = '{PaymentStates.NoCard}' THEN 1 ELSE 0 END) AS NoCard,
                 SUM(CASE WHEN kind = '{InvoiceNumbers.CreditNote}' THEN 1 ELSE 0 END) AS CreditNotes,
                 SUM(CASE WHEN kind = '{InvoiceNumbers.CreditNote}' THEN gross_minor ELSE 0 END) AS CreditedMinor
             FROM charging_invoices
             WHERE period IN (SELECT DISTINCT period FROM charging_invoices ORDER BY period DESC LIMIT @months)
             GROUP BY period, currency
             ORDER BY period DESC, currency
             """, new { months }), cancellationToken);
        return [.. rows.Select(r => new InvoiceRunSummary(
            r.Period, r.Currency, (int)r.Invoices, r.FirstIssued is { } f ? StoredTime.Read(f) : null, r.LastIssued is { } l ? StoredTime.Read(l) : null,
            InvoiceNumbers.Major(r.InvoicedMinor), (int)r.Paid, (int)r.Open, (int)r.Declined, (int)r.NoCard, (int)r.CreditNotes,
            InvoiceNumbers.Major(r.CreditedMinor)))];
    }

    private sealed class Row
    {
        public string Period { get; set; } = "";
        public string Currency { get; set; } = "";
        public long Invoices { get; set; }
        public long? FirstIssued { get; set; }
        public long? LastIssued { get; set; }
        public long InvoicedMinor { get; set; }
        public long Paid { get; set; }
        public long Open { get; set; }
        public long Declined { get; set; }
        public long NoCard { get; set; }
        public long CreditNotes { get; set; }
        public long CreditedMinor { get; set; }
    }
}
