using Pitwall.Server.Features.Charging.Invoices;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>The account's monthly charging invoices and credit notes (G2), newest first, and the card they are collected from (by
/// its last four digits). The same data as <c>GET /api/v1/me/invoices</c>.</summary>
internal sealed class InvoicesModel(IChargingInvoices invoices) : PortalPage
{
    public IReadOnlyList<InvoiceSummary> Invoices { get; private set; } = [];

    public string? CardLast4 { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Invoices = await invoices.ListAsync(AccountId, cancellationToken);
        CardLast4 = await invoices.CardLast4Async(AccountId, cancellationToken);
    }

    /// <summary>An amount as the invoice prints it: a point, two decimals (four for unit prices that need them).</summary>
    public static string Money(decimal amount, int decimals) =>
        amount.ToString(decimals == 2 ? "0.00" : "0.00##", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The words of a payment state.</summary>
    public static string PaymentState(string state) => state switch
    {
        "open" => "to be collected",
        "paid" => "paid",
        "failed" => "card declined",
        "no_card" => "to be paid",
        "refund_open" => "being paid back",
        "refunded" => "paid back",
        _ => "settled",
    };
}
