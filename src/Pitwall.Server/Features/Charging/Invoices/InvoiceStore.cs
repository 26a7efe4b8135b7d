using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>An invoice or credit note as stored (amounts in minor units; a credit note's negative).</summary>
internal sealed record StoredInvoice(
    string Number, string Kind, string? AccountId, string ContractId, string Period, string Currency, DateTimeOffset IssuedAt, InvoiceCustomer Customer,
    string? PaymentProvider, string? PaymentToken, string? CardLast4, long NetMinor, long VatMinor, long GrossMinor, IReadOnlyList<InvoiceItem> Items,
    string? Corrects, string? Reason, string PaymentState, string? PaymentReference)
{
    public InvoiceResponse ToResponse() => new(
        Number, Kind, Period, IssuedAt, ContractId, Customer, CardLast4, Currency, InvoiceNumbers.Major(NetMinor), InvoiceNumbers.Major(VatMinor),
        InvoiceNumbers.Major(GrossMinor), InvoiceNumbers.Vat(Items), Items, Corrects, Reason, PaymentState);

    public InvoiceSummary ToSummary() =>
        new(Number, Kind, Period, IssuedAt, Currency, InvoiceNumbers.Major(GrossMinor), Items.Count, Corrects, PaymentState);
}

/// <summary>The payment states of invoices and credit notes.</summary>
internal static class PaymentStates
{
    /// <summary>An invoice to collect from the card on file.</summary>
    public const string Open = "open";
    public const string Paid = "paid";
    /// <summary>The provider declined the card: the customer pays otherwise (a new card is charged by the next run).</summary>
    public const string Failed = "failed";
    /// <summary>No card on file when the invoice was issued.</summary>
    public const string NoCard = "no_card";
    /// <summary>A credit note of a paid invoice: to pay back to the card.</summary>
    public const string RefundOpen = "refund_open";
    public const string Refunded = "refunded";
    /// <summary>A credit note of an invoice not yet paid: it lowers what is owed, nothing moves.</summary>
    public const string Settled = "settled";
}

/// <summary>SQL for invoices, credit notes and their gapless numbers (<c>charging_invoices</c>, <c>charging_invoice_series</c>).</summary>
internal sealed class InvoiceStore(Database database, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The next number of <paramref name="series"/>, in the caller's transaction: the series' row stays locked until it
    /// commits (PostgreSQL) or the one SQLite writer holds it, so a concurrent invoice waits and takes the next number, and a rollback
    /// returns the number — no gaps, no duplicates.</summary>
    public static Task<long> NextNumberAsync(DbConnection connection, DbTransaction transaction, string series) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO charging_invoice_series (series, last_number) VALUES (@series, 1)
            ON CONFLICT (series) DO UPDATE SET last_number = charging_invoice_series.last_number + 1
            RETURNING last_number
            """, new { series }, transaction);

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, StoredInvoice invoice, string series, long seq, DateTimeOffset retentionFrom, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO charging_invoices (number, kind, series, seq, account_id, contract_id, period, currency, issued_at, retention_from, customer_name,
                customer_address, payment_provider, payment_token, card_last4, net_minor, vat_minor, gross_minor, lines, corrects, reason, payment_state,
                payment_reference, updated_at)
            VALUES (@Number, @Kind, @series, @seq, @AccountId, @ContractId, @Period, @Currency, @issuedAt, @retentionFrom, @name, @address, @PaymentProvider,
                @PaymentToken, @CardLast4, @NetMinor, @VatMinor, @GrossMinor, @lines, @Corrects, @Reason, @PaymentState, @PaymentReference, @now)
            """,
            new
            {
                invoice.Number, invoice.Kind, series, seq, invoice.AccountId, invoice.ContractId, invoice.Period, invoice.Currency,
                issuedAt = invoice.IssuedAt.ToUnixTimeMilliseconds(), retentionFrom = retentionFrom.ToUnixTimeMilliseconds(), name = invoice.Customer.Name,
                address = JsonSerializer.Serialize(invoice.Customer, Json), invoice.PaymentProvider, invoice.PaymentToken, invoice.CardLast4, invoice.NetMinor,
                invoice.VatMinor, invoice.GrossMinor, lines = JsonSerializer.Serialize(invoice.Items, Json), invoice.Corrects, invoice.Reason,
                invoice.PaymentState, invoice.PaymentReference, now = now.ToUnixTimeMilliseconds(),
            }, transaction);

    public async Task<IReadOnlyList<StoredInvoice>> OfAccountAsync(string accountId, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<Row>($"SELECT {Columns} FROM charging_invoices WHERE account_id = @accountId ORDER BY issued_at DESC, number DESC",
            new { accountId }), cancellationToken)).Select(r => r.ToInvoice())];

    public async Task<StoredInvoice?> FindAsync(string number, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => FindAsync(c, null, number), cancellationToken);

    public static async Task<StoredInvoice?> FindAsync(DbConnection connection, DbTransaction? transaction, string number) =>
        (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM charging_invoices WHERE number = @number", new { number }, transaction))?.ToInvoice();

    /// <summary>Invoices to collect and credit notes to pay back, oldest first.</summary>
    public async Task<IReadOnlyList<StoredInvoice>> PaymentsDueAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<Row>(
            $"SELECT {Columns} FROM charging_invoices WHERE payment_state IN ('{PaymentStates.Open}', '{PaymentStates.RefundOpen}') ORDER BY issued_at, number LIMIT @limit",
            new { limit }), cancellationToken)).Select(r => r.ToInvoice())];

    public Task SetPaymentAsync(string number, string expectedState, string state, string? reference, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE charging_invoices SET payment_state = @state, payment_reference = @reference, updated_at = @now WHERE number = @number AND payment_state = @expectedState",
            new { number, expectedState, state, reference, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);

    /// <summary>The sum of the credit notes of an invoice (negative or zero).</summary>
    public async Task<long> CreditedAsync(string number, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(gross_minor), 0) FROM charging_invoices WHERE corrects = @number",
            new { number }), cancellationToken);

    /// <summary>The accounts with CDRs not yet invoiced that ended before <paramref name="before"/>, in id order after
    /// <paramref name="after"/> (a page of the invoice run).</summary>
    public async Task<IReadOnlyList<string>> AccountsToInvoiceAsync(DateTimeOffset before, string after, int limit, CancellationToken cancellationToken) =>
        [.. await database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT DISTINCT account_id FROM charging_cdrs WHERE invoice_number IS NULL AND end_at < @before AND account_id > @after ORDER BY account_id LIMIT @limit",
            new { before = before.ToUnixTimeMilliseconds(), after, limit }), cancellationToken)];

    public const string Columns =
        "number, kind, account_id AS AccountId, contract_id AS ContractId, period, currency, issued_at AS IssuedAt, customer_address AS Customer, " +
        "payment_provider AS PaymentProvider, payment_token AS PaymentToken, card_last4 AS CardLast4, net_minor AS NetMinor, vat_minor AS VatMinor, " +
        "gross_minor AS GrossMinor, lines, corrects, reason, payment_state AS PaymentState, payment_reference AS PaymentReference";

    private sealed class Row
    {
        public string Number { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? AccountId { get; set; }
        public string ContractId { get; set; } = "";
        public string Period { get; set; } = "";
        public string Currency { get; set; } = "";
        public long IssuedAt { get; set; }
        public string Customer { get; set; } = "";
        public string? PaymentProvider { get; set; }
        public string? PaymentToken { get; set; }
        public string? CardLast4 { get; set; }
        public long NetMinor { get; set; }
        public long VatMinor { get; set; }
        public long GrossMinor { get; set; }
        public string Lines { get; set; } = "";
        public string? Corrects { get; set; }
        public string? Reason { get; set; }
        public string PaymentState { get; set; } = "";
        public string? PaymentReference { get; set; }

        public StoredInvoice ToInvoice() => new(
            Number, Kind, AccountId, ContractId, Period, Currency, StoredTime.Read(IssuedAt), JsonSerializer.Deserialize<InvoiceCustomer>(Customer, Json)!,
            PaymentProvider, PaymentToken, CardLast4, NetMinor, VatMinor, GrossMinor, JsonSerializer.Deserialize<List<InvoiceItem>>(Lines, Json)!, Corrects, Reason,
            PaymentState, PaymentReference);
    }
}
