namespace Pitwall.Server.Features.Charging.Commands;

/// <summary>The Charging Service's problem codes (docs/api-guide.md lists them).</summary>
internal static class ChargingErrorCodes
{
    /// <summary>No operator published a station with this EVSE ID.</summary>
    public const string UnknownEvse = "unknown_evse";

    /// <summary>The station's operator takes no remote commands (no OCPI commands endpoint).</summary>
    public const string CommandsNotSupported = "charging_commands_not_supported";

    /// <summary>Pitwall's own authorisation of the account's app token refused (e.g. the contract's car is no longer the account's).</summary>
    public const string ChargingNotAllowed = "charging_not_allowed";

    /// <summary>The charging session has ended already: there is nothing to stop.</summary>
    public const string SessionEnded = "charging_session_ended";

    /// <summary>The invoice's credit notes already cover all of it.</summary>
    public const string InvoiceFullyCredited = "invoice_fully_credited";

    /// <summary>A credit note may not exceed what is left of the invoice after its earlier credit notes.</summary>
    public const string CreditExceedsInvoice = "credit_exceeds_invoice";

    /// <summary>A partial credit note needs an invoice with one VAT rate (credit the whole invoice otherwise).</summary>
    public const string CreditNeedsOneVatRate = "credit_needs_one_vat_rate";

    /// <summary>The payment provider does not know the card token.</summary>
    public const string UnknownPaymentToken = "unknown_payment_token";
}

/// <summary>The Charging Service's expected refusals.</summary>
internal static class ChargingRefusals
{
    public static readonly Hosting.Refusal UnknownEvse =
        new(StatusCodes.Status404NotFound, ChargingErrorCodes.UnknownEvse, "No station with this EVSE ID is known.");

    public static readonly Hosting.Refusal CommandsNotSupported =
        Hosting.Refusal.Conflict(ChargingErrorCodes.CommandsNotSupported, "This station's operator does not take remote commands.");

    public static readonly Hosting.Refusal SessionEnded = Hosting.Refusal.Conflict(ChargingErrorCodes.SessionEnded, "This charging session has ended.");

    public static readonly Hosting.Refusal FullyCredited =
        Hosting.Refusal.Conflict(ChargingErrorCodes.InvoiceFullyCredited, "This invoice's credit notes already cover all of it.");

    public static readonly Hosting.Refusal CreditNeedsOneVatRate =
        Hosting.Refusal.Conflict(ChargingErrorCodes.CreditNeedsOneVatRate, "This invoice has several VAT rates: credit the whole invoice.");

    public static Hosting.Refusal CreditExceedsInvoice(decimal remaining, string currency) =>
        Hosting.Refusal.Conflict(ChargingErrorCodes.CreditExceedsInvoice, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"A credit note may be at most what is left of the invoice: {remaining:0.00} {currency}."));

    public static readonly Hosting.Refusal UnknownPaymentToken = new(StatusCodes.Status400BadRequest, ChargingErrorCodes.UnknownPaymentToken,
        "The payment provider does not know this card token.");

    public static readonly Hosting.Refusal NoSuchSession = Hosting.Refusal.NotFound("No such charging session of yours.");

    public static Hosting.Refusal NotAllowed(string allowed) =>
        Hosting.Refusal.Conflict(ChargingErrorCodes.ChargingNotAllowed, $"Your charging contract may not charge now ({allowed}).");
}
