using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Features.Charging;

/// <summary>Settings of the Charging Service (section <c>Charging</c>): Pitwall's own OCPI party as an eMSP.</summary>
internal sealed class ChargingOptions
{
    public const string Section = "Charging";

    /// <summary>ISO 3166-1 alpha-2 country of Pitwall's eMSP party; also the first part of every contract id (eMA-ID).</summary>
    [Required, RegularExpression("^[A-Z]{2}$")]
    public string CountryCode { get; set; } = "DE";

    /// <summary>Pitwall's OCPI party id (ISO 15118 provider id, three letters or digits); the second part of every contract id.</summary>
    [Required, RegularExpression("^[A-Z0-9]{3}$")]
    public string PartyId { get; set; } = "PWL";

    /// <summary>The name partners see in the credentials' business details and as the tokens' issuer.</summary>
    [Required, StringLength(100, MinimumLength = 1)]
    public string BusinessName { get; set; } = "Pitwall Charging Service";

    /// <summary>The public address partners reach Pitwall at (e.g. <c>https://pitwall.example.com</c>), for the URLs the OCPI
    /// answers give; empty: the address of the request.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>The largest page of a paginated OCPI list (<c>X-Limit</c>).</summary>
    [Range(1, 1000)]
    public int PageLimit { get; set; } = 100;

    /// <summary>How long a call to a partner's endpoints may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan PartnerTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for a command's result when the operator's answer names no timeout; an operator's own timeout is kept
    /// between 5 seconds and <see cref="MaxCommandTimeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan MaxCommandTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often commands whose result did not come in time are closed as <c>TIMEOUT</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CommandSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The time zone whose calendar months the invoices cover (an IANA id).</summary>
    [Required]
    public string InvoiceTimeZone { get; set; } = "Europe/Berlin";

    /// <summary>How long after a month's end its invoices are issued (operators send CDRs a little late; a CDR that comes after its
    /// month's invoice goes into the next month's).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "15.00:00:00")]
    public TimeSpan InvoiceDelay { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the invoice job looks for a month to invoice and payments to collect.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InvoiceRunInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>False switches the invoice job off on this instance (the admin API and CLI still run invoices).</summary>
    public bool InvoiceJob { get; set; } = true;

    /// <summary>How many accounts the invoice run issues at the same time.</summary>
    [Range(1, 64)]
    public int InvoiceRunParallelism { get; set; } = 4;

    /// <summary>The payment provider (<c>local</c>: the built-in one that moves no money; docs/operator-guide.md tells how a real one plugs in).</summary>
    [Required]
    public string PaymentProvider { get; set; } = Invoices.LocalPaymentProvider.ProviderName;

    /// <summary>Where the portal's card form sends the card number to be tokenised: the provider's card entry, never Pitwall's API. The
    /// local provider's is <c>/local-payments/v1/tokens</c> (<c>{"number"}</c> → <c>{"token", "brand", "last4"}</c>).</summary>
    [Required, StringLength(500, MinimumLength = 1)]
    public string PaymentCardEntryUrl { get; set; } = "/local-payments/v1/tokens";

    /// <summary>The issuer's postal address as the invoices print it (§14 (4) No. 1 UStG), lines separated by <c>|</c>.</summary>
    [Required, StringLength(300, MinimumLength = 1)]
    public string InvoiceIssuerAddress { get; set; } = "Pitwall Charging Service|Musterstraße 1|70173 Stuttgart|Germany";

    /// <summary>The issuer's VAT identification number (§14 (4) No. 2 UStG).</summary>
    [Required, StringLength(20, MinimumLength = 1)]
    public string InvoiceVatId { get; set; } = "DE000000000";
}
