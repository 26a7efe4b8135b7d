using System.Globalization;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>One priced part of a charge: energy, charging time, parking time or the flat fee, excluding VAT.</summary>
/// <param name="Type">The OCPI price component: <c>ENERGY</c>, <c>TIME</c>, <c>PARKING_TIME</c>, <c>FLAT</c>, or <c>TOTAL</c> when the
/// operator's tariff was not known and the CDR's own total was billed.</param>
/// <param name="Quantity">kWh, hours, or 1 for a flat fee, after the tariff's step size.</param>
/// <param name="UnitPrice">Per kWh, per hour or once, excluding VAT, as the tariff says.</param>
/// <param name="Net">Quantity × unit price rounded half away from zero to the cent.</param>
/// <param name="VatRate">Percent.</param>
public sealed record InvoiceComponent(string Type, decimal Quantity, decimal UnitPrice, decimal Net, decimal VatRate);

/// <summary>One charge on an invoice (from its CDR, copied in: the invoice outlives the CDR).</summary>
public sealed record InvoiceItem(
    string CdrId, string? SessionId, string Operator, string? Station, string? City, string? EvseId, DateTimeOffset StartedAt, DateTimeOffset EndedAt,
    decimal EnergyKwh, string? TariffId, IReadOnlyList<InvoiceComponent> Components)
{
    public decimal Net => Components.Sum(c => c.Net);
}

/// <summary>The VAT of one rate: the sum of the net amounts at that rate and the VAT on that sum, rounded to the cent.</summary>
public sealed record VatAmount(decimal Rate, decimal Net, decimal Vat);

/// <summary>The customer as the invoice names them (copied at issue).</summary>
public sealed record InvoiceCustomer(string Name, string? Street, string? PostalCode, string? City, string? Country);

/// <summary>An invoice or credit note as the owner sees it (<c>GET /api/v1/me/invoices/{number}</c>). A credit note's amounts are
/// negative; it names the invoice it corrects.</summary>
public sealed record InvoiceResponse(
    string Number, string Kind, string Period, DateTimeOffset IssuedAt, string ContractId, InvoiceCustomer Customer, string? CardLast4,
    string Currency, decimal Net, decimal Vat, decimal Total, IReadOnlyList<VatAmount> VatAmounts, IReadOnlyList<InvoiceItem> Items,
    string? Corrects, string? Reason, string PaymentState);

/// <summary>An invoice in the owner's list.</summary>
public sealed record InvoiceSummary(string Number, string Kind, string Period, DateTimeOffset IssuedAt, string Currency, decimal Total, int Charges,
    string? Corrects, string PaymentState);

/// <summary>Invoice and credit-note numbers, amounts in minor units.</summary>
internal static class InvoiceNumbers
{
    public const string Invoice = "invoice";
    public const string CreditNote = "credit_note";

    /// <summary>The counter an invoice (or credit note) of <paramref name="year"/> takes its number from: invoices and credit notes
    /// are two gapless series, each restarting with every calendar year.</summary>
    public static string Series(string kind, int year) => $"{kind}:{year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>PWL-2026-000001</c> for invoices, <c>PWL-CN-2026-000001</c> for credit notes.</summary>
    public static string Format(string partyId, string kind, int year, long seq) =>
        string.Create(CultureInfo.InvariantCulture, $"{partyId}-{(kind == CreditNote ? "CN-" : "")}{year}-{seq:D6}");

    public static long Minor(decimal amount) => (long)Math.Round(amount * 100, 0, MidpointRounding.AwayFromZero);

    public static decimal Major(long minor) => minor / 100m;

    /// <summary>The VAT per rate over the items' net amounts: rounded once per rate (as §14 (4) No. 8 UStG states it per rate).</summary>
    public static IReadOnlyList<VatAmount> Vat(IEnumerable<InvoiceItem> items) =>
        [.. items.SelectMany(i => i.Components).GroupBy(c => c.VatRate).OrderBy(g => g.Key)
            .Select(g => new VatAmount(g.Key, g.Sum(c => c.Net), Math.Round(g.Sum(c => c.Net) * g.Key / 100, 2, MidpointRounding.AwayFromZero)))];
}
