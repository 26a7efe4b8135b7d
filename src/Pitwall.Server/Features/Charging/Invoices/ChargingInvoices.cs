using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Accounts;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>The account's charging invoices and credit notes, for the portal (the API reads the same).</summary>
public interface IChargingInvoices
{
    Task<IReadOnlyList<InvoiceSummary>> ListAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>One of the account's invoices; null when it is not the account's (or does not exist).</summary>
    Task<InvoiceResponse?> FindAsync(string accountId, string number, CancellationToken cancellationToken);

    /// <summary>The PDF of one of the account's invoices, in the account's language.</summary>
    Task<byte[]?> PdfAsync(string accountId, string number, CancellationToken cancellationToken);

    /// <summary>The last four digits of the account's payment card, if it gave one.</summary>
    Task<string?> CardLast4Async(string accountId, CancellationToken cancellationToken);
}

internal sealed class ChargingInvoices(InvoiceStore store, PaymentCardStore cards, IAccountDirectory accounts, IOptions<ChargingOptions> options) : IChargingInvoices
{
    public async Task<IReadOnlyList<InvoiceSummary>> ListAsync(string accountId, CancellationToken cancellationToken) =>
        [.. (await store.OfAccountAsync(accountId, cancellationToken)).Select(i => i.ToSummary())];

    public async Task<InvoiceResponse?> FindAsync(string accountId, string number, CancellationToken cancellationToken) =>
        await store.FindAsync(number, cancellationToken) is { } invoice && invoice.AccountId == accountId ? invoice.ToResponse() : null;

    public async Task<byte[]?> PdfAsync(string accountId, string number, CancellationToken cancellationToken)
    {
        if (await FindAsync(accountId, number, cancellationToken) is not { } invoice)
        {
            return null;
        }
        var locale = (await accounts.FindAsync(accountId, cancellationToken))?.Locale ?? "en";
        return InvoicePdf.Render(invoice, locale, options.Value.InvoiceIssuerAddress, options.Value.InvoiceVatId);
    }

    public async Task<string?> CardLast4Async(string accountId, CancellationToken cancellationToken) =>
        (await cards.FindAsync(accountId, cancellationToken))?.Last4;
}
