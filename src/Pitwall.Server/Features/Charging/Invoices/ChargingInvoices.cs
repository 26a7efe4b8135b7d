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

    /// <summary>The account's payment card (provider, brand, last four digits), if it gave one.</summary>
    Task<PaymentCardResponse?> CardAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Sets the account's card from the payment provider's token; refused (<c>unknown_payment_token</c>) when the provider
    /// does not know it. Only the token and the last four digits are stored.</summary>
    Task<(PaymentCardResponse? Card, Hosting.Refusal? Refusal)> SetCardAsync(string accountId, string? token, CancellationToken cancellationToken);

    /// <summary>Removes the account's card; false when it had none.</summary>
    Task<bool> RemoveCardAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Where the card form sends the card number (the payment provider's card entry, never Pitwall's API).</summary>
    string CardEntryUrl { get; }
}

/// <summary>The card an account's invoices are collected from, as the owner sees it: never the number.</summary>
public sealed record PaymentCardResponse(string Provider, string? Brand, string Last4);

internal sealed class ChargingInvoices(
    InvoiceStore store, PaymentCardStore cards, IPaymentProvider provider, IAccountDirectory accounts, IOptions<ChargingOptions> options) : IChargingInvoices
{
    public string CardEntryUrl => options.Value.PaymentCardEntryUrl;

    public async Task<PaymentCardResponse?> CardAsync(string accountId, CancellationToken cancellationToken) =>
        await cards.FindAsync(accountId, cancellationToken) is { } card ? new(card.Provider, card.Brand, card.Last4) : null;

    public async Task<(PaymentCardResponse? Card, Hosting.Refusal? Refusal)> SetCardAsync(string accountId, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return (null, Hosting.Refusal.Invalid("token", "Give the payment provider's token for your card."));
        }
        if (await provider.DescribeAsync(token, cancellationToken) is not { } info)
        {
            return (null, Commands.ChargingRefusals.UnknownPaymentToken);
        }
        await cards.SaveAsync(accountId, new PaymentCard(provider.Name, token, info.Brand, info.Last4), cancellationToken);
        return (new(provider.Name, info.Brand, info.Last4), null);
    }

    public Task<bool> RemoveCardAsync(string accountId, CancellationToken cancellationToken) => cards.RemoveAsync(accountId, cancellationToken);

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
