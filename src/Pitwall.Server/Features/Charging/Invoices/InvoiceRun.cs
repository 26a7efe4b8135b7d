using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>A calendar month in the invoicing time zone: its label (<c>2026-11</c>) and its first instant and the next month's.</summary>
internal sealed record InvoicePeriod(string Label, DateTimeOffset Start, DateTimeOffset End)
{
    public static InvoicePeriod? Parse(string? label, TimeZoneInfo zone) =>
        DateTime.TryParseExact(label, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? Of(month, zone) : null;

    public static InvoicePeriod Of(DateTime month, TimeZoneInfo zone)
    {
        var first = new DateTime(month.Year, month.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var next = first.AddMonths(1);
        return new(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), new(first, zone.GetUtcOffset(first)), new(next, zone.GetUtcOffset(next)));
    }

    public static InvoicePeriod Containing(DateTimeOffset at, TimeZoneInfo zone) => Of(TimeZoneInfo.ConvertTime(at, zone).DateTime, zone);

    /// <summary>The newest month whose end lies at least <paramref name="delay"/> back (operators send CDRs a little late).</summary>
    public static InvoicePeriod LastClosed(DateTimeOffset now, TimeSpan delay, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now - delay, zone).DateTime;
        return Of(new DateTime(local.Year, local.Month, 1).AddMonths(-1), zone);
    }
}

/// <summary>
/// The monthly invoice run (G2). Per account with CDRs not yet invoiced that ended before the month's end: one transaction takes the
/// next number of the year's series, marks those CDRs with it (each CDR is billed once; a CDR that comes late goes into the next
/// month's invoice), prices them by their tariffs, writes the invoice with the customer's name, address and card (token and last four
/// digits) and queues the "invoice ready" notification (in-app and e-mail). An account has at most one invoice per month and currency
/// (a unique index), so the run is idempotent: after a crash it starts again and issues what is missing, never twice, and a number
/// is only ever used by a committed invoice. Then the open invoices are collected from the payment provider with the invoice number
/// as the idempotency key.
/// </summary>
internal sealed partial class InvoiceRun(
    Database database, InvoiceStore store, IAccountDirectory accounts, INotifier notifier, IPaymentProvider payments, IOptions<ChargingOptions> options,
    TimeProvider time, ILogger<InvoiceRun> logger)
{
    private const int Page = 500;

    public TimeZoneInfo Zone { get; } = TimeZoneInfo.TryFindSystemTimeZoneById(options.Value.InvoiceTimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public InvoicePeriod LastClosedPeriod() => InvoicePeriod.LastClosed(time.GetUtcNow(), options.Value.InvoiceDelay, Zone);

    /// <summary>A month is invoiced once it is over (earlier, its later charges would wait for the next month's invoice).</summary>
    public bool IsOver(InvoicePeriod period) => period.End <= time.GetUtcNow();

    public async Task<InvoiceRunResult> RunAsync(InvoicePeriod period, CancellationToken cancellationToken)
    {
        var issued = 0;
        var after = "";
        while (true)
        {
            var batch = await store.AccountsToInvoiceAsync(period.End, after, Page, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }
            var counts = new int[batch.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count),
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.InvoiceRunParallelism, CancellationToken = cancellationToken },
                async (i, ct) => counts[i] = (await IssueAsync(batch[i], period, ct)).Count);
            issued += counts.Sum();
            after = batch[^1];
        }
        var (collected, declined) = await CollectAsync(cancellationToken);
        LogRun(logger, period.Label, issued, collected, declined);
        return new(period.Label, issued, collected, declined);
    }

    /// <summary>Issues the account's invoices of <paramref name="period"/> (one per currency) that do not exist yet; their numbers.</summary>
    public async Task<IReadOnlyList<string>> IssueAsync(string accountId, InvoicePeriod period, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(accountId, cancellationToken) is not { } account)
        {
            return [];
        }
        var customer = new InvoiceCustomer(account.Name, account.Address?.Street, account.Address?.PostalCode, account.Address?.City, account.Address?.Country);
        try
        {
            return await database.WriteAsync((c, t) => IssueAsync(c, t, accountId, customer, period), cancellationToken);
        }
        catch (Exception e) when (e is InvoicedMeanwhileException || e is DbException db && IsUniqueViolation(db))
        {
            return []; // another instance issued it at the same moment: its transaction won, ours took no number
        }
    }

    private async Task<IReadOnlyList<string>> IssueAsync(DbConnection c, DbTransaction t, string accountId, InvoiceCustomer customer, InvoicePeriod period)
    {
        var end = period.End.ToUnixTimeMilliseconds();
        var currencies = (await c.QueryAsync<string>(
            "SELECT DISTINCT currency FROM charging_cdrs WHERE account_id = @accountId AND invoice_number IS NULL AND end_at < @end",
            new { accountId, end }, t)).Order(StringComparer.Ordinal).ToList();
        var contract = await c.QuerySingleOrDefaultAsync<(string ContractId, string Vin)>(
            "SELECT contract_id, vin FROM charging_contracts WHERE account_id = @accountId", new { accountId }, t);
        var card = await PaymentCardStore.FindAsync(c, t, accountId);
        var now = time.GetUtcNow();
        var year = TimeZoneInfo.ConvertTime(now, Zone).Year;
        var numbers = new List<string>();
        foreach (var currency in currencies)
        {
            if (await c.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM charging_invoices WHERE account_id = @accountId AND period = @period AND currency = @currency AND kind = 'invoice'",
                    new { accountId, period = period.Label, currency }, t) > 0)
            {
                continue; // this month's invoice exists: CDRs that came after it wait for the next month's
            }
            var series = InvoiceNumbers.Series(InvoiceNumbers.Invoice, year);
            var seq = await InvoiceStore.NextNumberAsync(c, t, series);
            var number = InvoiceNumbers.Format(options.Value.PartyId, InvoiceNumbers.Invoice, year, seq);
            var cdrs = (await c.QueryAsync<CdrRow>(
                $"""
                UPDATE charging_cdrs SET invoice_number = @number
                WHERE account_id = @accountId AND currency = @currency AND invoice_number IS NULL AND end_at < @end
                RETURNING {CdrRow.Columns}
                """, new { number, accountId, currency, end }, t)).Select(r => r.ToCdr()).OrderBy(r => r.StartAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
            if (cdrs.Count == 0)
            {
                throw new InvoicedMeanwhileException(); // rolls back: the number is not used
            }
            var items = new List<InvoiceItem>();
            foreach (var cdr in cdrs)
            {
                items.Add(InvoicePricer.Price(cdr, await TariffAsync(c, t, cdr), Zone));
            }
            var net = items.Sum(i => i.Net);
            var vat = InvoiceNumbers.Vat(items).Sum(v => v.Vat);
            var invoice = new StoredInvoice(number, InvoiceNumbers.Invoice, accountId, contract.ContractId ?? cdrs[0].ContractId, period.Label, currency, now, customer,
                card?.Provider, card?.Token, card?.Last4, InvoiceNumbers.Minor(net), InvoiceNumbers.Minor(vat), InvoiceNumbers.Minor(net + vat), items, null, null,
                card is null ? PaymentStates.NoCard : PaymentStates.Open, null);
            await InvoiceStore.InsertAsync(c, t, invoice, series, seq, RetentionFrom(now), now);
            if (contract.Vin is not null)
            {
                await notifier.NotifyAccountAsync(c, t, accountId, new Notification(contract.Vin, InvoiceNotifications.Ready.Id,
                    NotificationText.Of(InvoiceNotifications.ReadyText, ("number", number), ("period", period.Label), ("amount", net + vat), ("currency", currency)),
                    now, "invoice:" + number));
            }
            numbers.Add(number);
        }
        return numbers;
    }

    /// <summary>§147 (4) AO: the ten years start at the end of the calendar year of issue.</summary>
    public DateTimeOffset RetentionFrom(DateTimeOffset issued)
    {
        var year = TimeZoneInfo.ConvertTime(issued, Zone).Year;
        return new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject?> TariffAsync(DbConnection c, DbTransaction t, StoredCdr cdr)
    {
        var tariffId = (cdr.Body["charging_periods"] as System.Text.Json.Nodes.JsonArray)?.OfType<System.Text.Json.Nodes.JsonObject>()
            .Select(p => p["tariff_id"]?.GetValue<string>()).FirstOrDefault(id => id is not null);
        if (tariffId is null || cdr.Body["tariffs"] is System.Text.Json.Nodes.JsonArray { Count: > 0 })
        {
            return null;
        }
        var body = await c.QuerySingleOrDefaultAsync<string?>(
            "SELECT body FROM charging_tariffs WHERE partner_id = @PartnerId AND country_code = @CountryCode AND party_id = @PartyId AND id = @tariffId",
            new { cdr.PartnerId, cdr.CountryCode, cdr.PartyId, tariffId }, t);
        return body is null ? null : System.Text.Json.Nodes.JsonNode.Parse(body) as System.Text.Json.Nodes.JsonObject;
    }

    /// <summary>Collects the open invoices and pays back the credit notes of paid ones (idempotency key: the number).</summary>
    public async Task<(int Collected, int Declined)> CollectAsync(CancellationToken cancellationToken)
    {
        int collected = 0, declined = 0;
        IReadOnlyList<StoredInvoice> due;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while ((due = [.. (await store.PaymentsDueAsync(Page, cancellationToken)).Where(i => seen.Add(i.Number))]).Count > 0)
        {
            foreach (var invoice in due)
            {
                var refund = invoice.Kind == InvoiceNumbers.CreditNote;
                // An invoice corrected before it was collected: what is left of it (nothing left: settled by its credit notes).
                var owed = refund ? -invoice.GrossMinor : invoice.GrossMinor + await store.CreditedAsync(invoice.Number, cancellationToken);
                if (owed <= 0)
                {
                    await store.SetPaymentAsync(invoice.Number, invoice.PaymentState, PaymentStates.Settled, null, cancellationToken);
                    continue;
                }
                var outcome = invoice.PaymentToken is null ? new PaymentOutcome(false, null, "no card")
                    : refund ? await payments.RefundAsync(invoice.PaymentToken, owed, invoice.Currency, invoice.Number, cancellationToken)
                    : await payments.ChargeAsync(invoice.PaymentToken, owed, invoice.Currency, invoice.Number, cancellationToken);
                var state = outcome.Succeeded ? (refund ? PaymentStates.Refunded : PaymentStates.Paid) : PaymentStates.Failed;
                await store.SetPaymentAsync(invoice.Number, invoice.PaymentState, state, outcome.Reference, cancellationToken);
                if (outcome.Succeeded)
                {
                    collected++;
                }
                else
                {
                    declined++;
                }
            }
        }
        return (collected, declined);
    }

    internal static bool IsUniqueViolation(DbException e) =>
        e is Npgsql.PostgresException { SqlState: "23505" } || e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };

    [LoggerMessage(Level = LogLevel.Information, Message = "Invoice run {Period}: {Issued} invoices issued, {Collected} payments collected, {Declined} declined")]
    private static partial void LogRun(ILogger logger, string period, int issued, int collected, int declined);

    private sealed class InvoicedMeanwhileException() : Exception("Another run invoiced these charges meanwhile.");

    internal sealed class CdrRow
    {
        public const string Columns =
            "partner_id AS PartnerId, country_code AS CountryCode, party_id AS PartyId, id, account_id AS AccountId, contract_id AS ContractId, session_id AS SessionId, " +
            "start_at AS StartAt, end_at AS EndAt, total_energy AS TotalEnergy, total_cost AS TotalCost, currency, body, received_at AS ReceivedAt";

        public string PartnerId { get; set; } = "";
        public string CountryCode { get; set; } = "";
        public string PartyId { get; set; } = "";
        public string Id { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string ContractId { get; set; } = "";
        public string? SessionId { get; set; }
        public long StartAt { get; set; }
        public long EndAt { get; set; }
        public double TotalEnergy { get; set; }
        public double TotalCost { get; set; }
        public string Currency { get; set; } = "";
        public string Body { get; set; } = "";
        public long ReceivedAt { get; set; }

        public StoredCdr ToCdr() => new(PartnerId, CountryCode, PartyId, Id, AccountId, ContractId, SessionId, StoredTime.Read(StartAt), StoredTime.Read(EndAt),
            (decimal)TotalEnergy, (decimal)TotalCost, Currency, (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(Body)!, StoredTime.Read(ReceivedAt));
    }
}
