using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.Charging.Invoices;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>One invoice or credit note of the account as a page (and its PDF): the same as <c>GET /api/v1/me/invoices/{number}</c>.</summary>
internal sealed class InvoiceModel(IChargingInvoices invoices) : PortalPage
{
    public InvoiceResponse Invoice { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string number, CancellationToken cancellationToken)
    {
        if (await invoices.FindAsync(AccountId, number, cancellationToken) is not { } invoice)
        {
            return NotFound();
        }
        Invoice = invoice;
        return Page();
    }

    public async Task<IActionResult> OnGetPdfAsync(string number, CancellationToken cancellationToken) =>
        await invoices.PdfAsync(AccountId, number, cancellationToken) is { } pdf ? File(pdf, "application/pdf", number + ".pdf") : NotFound();

    /// <summary>The words of a priced component.</summary>
    public static string Component(string type) => type switch
    {
        "ENERGY" => "Energy",
        "TIME" => "Charging time",
        "PARKING_TIME" => "Parking time",
        "FLAT" => "Flat fee",
        "CORRECTION" => "Correction",
        _ => "Operator's amount",
    };

    public static string Quantity(InvoiceComponent c) => c.Type switch
    {
        "ENERGY" => $"{c.Quantity.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} kWh",
        "TIME" or "PARKING_TIME" => $"{c.Quantity.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} h",
        _ => c.Quantity.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
    };
}
