using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Contracts;

/// <summary>The B2 data of a Car Security contract; the security answer arrives already hashed.</summary>
internal sealed record CarSecurityDetails(IReadOnlyList<string> PhoneNumbers, string SecurityQuestion, string SecurityAnswerHash, string Colour, string RegistrationNumber);

/// <summary>SQL for <c>contracts</c> and <c>car_security_details</c>.</summary>
public sealed class ContractStore(Database database)
{
    private const string Columns =
        "id AS Id, vin AS Vin, account_id AS AccountId, package_id AS PackageId, state AS State, auto_renew AS AutoRenew, purchased_at AS PurchasedAt, " +
        "starts_at AS StartsAt, ends_at AS EndsAt, terms AS Terms, price_minor AS PriceMinor, currency AS Currency, cancelled_at AS CancelledAt, " +
        "cancel_channel AS CancelChannel, cancel_reference AS CancelReference, withdrawn_at AS WithdrawnAt, refund_minor AS RefundMinor, buyer_left_at AS BuyerLeftAt";

    /// <summary>Serves the car: included with it, or bought by someone who still uses it.</summary>
    private const string ServesTheCar = "buyer_left_at IS NULL";

    /// <summary>The vehicle's packages as its users see them: those included with the car and those bought by someone who still
    /// uses it, running and ended. A previous owner's purchases are not among them.</summary>
    public async Task<IReadOnlyList<ContractRecord>> ForVehicleAsync(string vin, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>(
            $"SELECT {Columns} FROM contracts WHERE vin = @vin AND {ServesTheCar} ORDER BY purchased_at DESC, id", new { vin }),
            cancellationToken)).Select(Map).ToList();

    /// <summary>Every package the account bought, for any car, including cars it no longer uses.</summary>
    public async Task<IReadOnlyList<ContractRecord>> ForBuyerAsync(string accountId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>(
            $"SELECT {Columns} FROM contracts WHERE account_id = @accountId ORDER BY purchased_at DESC, id", new { accountId }),
            cancellationToken)).Select(Map).ToList();

    public async Task<ContractRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row?>($"SELECT {Columns} FROM contracts WHERE id = @id", new { id }), cancellationToken)
            is { } row ? Map(row) : null;

    internal static async Task<ContractRecord?> FindAsync(DbConnection c, DbTransaction t, string id) =>
        await c.QuerySingleOrDefaultAsync<Row?>($"SELECT {Columns} FROM contracts WHERE id = @id", new { id }, t) is { } row ? Map(row) : null;

    /// <summary>The running services of a vehicle: those of active contracts within their term.</summary>
    public async Task<IReadOnlyList<string>> ActivePackagesAsync(string vin, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<string>(
            $"SELECT DISTINCT package_id FROM contracts WHERE vin = @vin AND state = 'active' AND starts_at <= @now AND ends_at > @now AND {ServesTheCar}",
            new { vin, now = now.ToUnixTimeMilliseconds() }), cancellationToken)).ToList();

    /// <summary>Behind every entitlement question: must search by car (index contracts_vin_running), never walk the fleet.</summary>
    internal const string RunningTermsSql =
        "SELECT p.services, c.starts_at, c.ends_at FROM contracts c JOIN packages p ON p.id = c.package_id " +
        "WHERE c.vin = @vin AND c.state = 'active' AND c.ends_at > @now AND c.buyer_left_at IS NULL";

    /// <summary>The vehicle's active contracts not ended by <paramref name="now"/> (some may start later): services and term.</summary>
    public async Task<IReadOnlyList<RunningTerm>> RunningTermsAsync(string vin, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string Services, long StartsAt, long EndsAt)>(
            RunningTermsSql, new { vin, now = now.ToUnixTimeMilliseconds() }), cancellationToken))
        .Select(r => new RunningTerm(r.Services, DateTimeOffset.FromUnixTimeMilliseconds(r.StartsAt), DateTimeOffset.FromUnixTimeMilliseconds(r.EndsAt)))
        .ToList();

    public sealed record RunningTerm(string Services, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

    internal static Task<long> CountRunningAsync(DbConnection c, DbTransaction t, string vin, string packageId, DateTimeOffset now) =>
        c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM contracts WHERE vin = @vin AND package_id = @packageId AND state = 'active' AND ends_at > @now AND {ServesTheCar}",
            new { vin, packageId, now = now.ToUnixTimeMilliseconds() }, t);

    internal static async Task InsertAsync(DbConnection c, DbTransaction t, ContractRecord r, CarSecurityDetails? details)
    {
        ContractEntitlements.Changed(t);
        await c.ExecuteAsync(
            """
            INSERT INTO contracts (id, vin, account_id, package_id, state, auto_renew, purchased_at, starts_at, ends_at, terms, price_minor, currency)
            VALUES (@Id, @Vin, @AccountId, @PackageId, @State, @autoRenew, @purchasedAt, @startsAt, @endsAt, @Terms, @PriceMinor, @Currency)
            """,
            new
            {
                r.Id, r.Vin, r.AccountId, r.PackageId, r.State, autoRenew = r.AutoRenew ? 1 : 0, purchasedAt = r.PurchasedAt.ToUnixTimeMilliseconds(),
                startsAt = r.StartsAt.ToUnixTimeMilliseconds(), endsAt = r.EndsAt.ToUnixTimeMilliseconds(), r.Terms, r.PriceMinor, r.Currency,
            }, t);
        if (details is not null)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO car_security_details (contract_id, phone_numbers, security_question, security_answer_hash, colour, registration_number)
                VALUES (@Id, @phones, @SecurityQuestion, @SecurityAnswerHash, @Colour, @RegistrationNumber)
                """,
                new
                {
                    r.Id, phones = System.Text.Json.JsonSerializer.Serialize(details.PhoneNumbers), details.SecurityQuestion, details.SecurityAnswerHash,
                    details.Colour, details.RegistrationNumber,
                }, t);
        }
    }

    internal static Task<int> CancelAsync(DbConnection c, DbTransaction t, string id, string channel, string? reference, DateTimeOffset now) =>
        c.ExecuteAsync(
            """
            UPDATE contracts SET auto_renew = 0, cancelled_at = COALESCE(cancelled_at, @now), cancel_channel = @channel,
                cancel_reference = COALESCE(@reference, cancel_reference)
            WHERE id = @id AND state = 'active'
            """, new { id, channel, reference, now = now.ToUnixTimeMilliseconds() }, t);

    internal static Task<int> WithdrawAsync(DbConnection c, DbTransaction t, string id, long refund, DateTimeOffset now) =>
        CloseAsync(c, t, id, ContractStates.Withdrawn, now, refund);

    internal static Task<int> ExpireAsync(DbConnection c, DbTransaction t, string id, DateTimeOffset now) => CloseAsync(c, t, id, ContractStates.Expired, now, null);

    private static async Task<int> CloseAsync(DbConnection c, DbTransaction t, string id, string state, DateTimeOffset now, long? refund)
    {
        ContractEntitlements.Changed(t);
        var nowMs = now.ToUnixTimeMilliseconds();
        var changed = await c.ExecuteAsync(
            """
            UPDATE contracts SET state = @state, auto_renew = 0, closed_at = @nowMs,
                withdrawn_at = CASE WHEN @state = 'withdrawn' THEN @nowMs ELSE withdrawn_at END, refund_minor = COALESCE(@refund, refund_minor)
            WHERE id = @id AND state = 'active'
            """, new { id, state, nowMs, refund }, t);
        await c.ExecuteAsync("UPDATE car_security_details SET closed_at = @nowMs WHERE contract_id = @id", new { id, nowMs }, t);
        return changed;
    }

    /// <summary>Extends the term that ended at <paramref name="endedAt"/>; a second run that saw the same term changes nothing.</summary>
    internal static Task RenewAsync(DbConnection c, DbTransaction t, string id, DateTimeOffset endedAt, DateTimeOffset endsAt, long priceMinor) =>
        c.ExecuteAsync(
            "UPDATE contracts SET ends_at = @endsAt, terms = terms + 1, price_minor = @priceMinor, expiry_notice_at = NULL " +
            "WHERE id = @id AND state = 'active' AND ends_at = @endedAt",
            new { id, endedAt = endedAt.ToUnixTimeMilliseconds(), endsAt = endsAt.ToUnixTimeMilliseconds(), priceMinor }, t);

    /// <summary>Active contracts whose term has ended; a bounded batch.</summary>
    internal static async Task<IReadOnlyList<ContractRecord>> DueAsync(DbConnection c, DbTransaction t, DateTimeOffset now) =>
        (await c.QueryAsync<Row>($"SELECT {Columns} FROM contracts WHERE state = 'active' AND ends_at <= @now ORDER BY ends_at LIMIT 500",
            new { now = now.ToUnixTimeMilliseconds() }, t)).Select(Map).ToList();

    /// <summary>Active contracts ending within <paramref name="ahead"/> whose users were not told yet; marks them told.</summary>
    internal static async Task<IReadOnlyList<ContractRecord>> TakeExpiryNoticesAsync(DbConnection c, DbTransaction t, DateTimeOffset now, TimeSpan ahead)
    {
        var due = (await c.QueryAsync<Row>(
            $"SELECT {Columns} FROM contracts WHERE state = 'active' AND expiry_notice_at IS NULL AND ends_at > @now AND ends_at <= @until LIMIT 500",
            new { now = now.ToUnixTimeMilliseconds(), until = (now + ahead).ToUnixTimeMilliseconds() }, t)).Select(Map).ToList();
        var taken = new List<ContractRecord>();
        foreach (var contract in due)
        {
            // Conditional, so that two runs at once never tell the users twice.
            if (await c.ExecuteAsync("UPDATE contracts SET expiry_notice_at = @now WHERE id = @Id AND expiry_notice_at IS NULL",
                    new { contract.Id, now = now.ToUnixTimeMilliseconds() }, t) == 1)
            {
                taken.Add(contract);
            }
        }
        return taken;
    }

    /// <summary>
    /// The buyer (or, with <paramref name="accountId"/> null, every buyer) no longer uses the car: their packages for it stop
    /// serving it and showing to its users, and those that would renew no longer do.
    /// </summary>
    /// <returns>The contracts whose auto-renewal this stopped, as they were before.</returns>
    internal static async Task<IReadOnlyList<ContractRecord>> BuyerLeftAsync(DbConnection c, DbTransaction t, string vin, string? accountId, DateTimeOffset now)
    {
        ContractEntitlements.Changed(t);
        var args = new { vin, accountId, now = now.ToUnixTimeMilliseconds() };
        const string Theirs = "vin = @vin AND account_id IS NOT NULL AND (@accountId IS NULL OR account_id = @accountId) AND buyer_left_at IS NULL";
        var renewing = (await c.QueryAsync<Row>($"SELECT {Columns} FROM contracts WHERE {Theirs} AND state = 'active' AND auto_renew = 1", args, t))
            .Select(Map).ToList();
        await c.ExecuteAsync(
            "UPDATE contracts SET auto_renew = 0, cancelled_at = COALESCE(cancelled_at, @now), cancel_channel = 'buyer_left' " +
            $"WHERE {Theirs} AND state = 'active' AND auto_renew = 1", args, t);
        await c.ExecuteAsync($"UPDATE contracts SET buyer_left_at = @now WHERE {Theirs}", args, t);
        return renewing;
    }

    /// <summary>The buyer is the car's primary user again: their packages for it that have not ended serve it again (without
    /// auto-renewal, which stopped when they left).</summary>
    internal static Task BuyerReturnedAsync(DbConnection c, DbTransaction t, string vin, string accountId)
    {
        ContractEntitlements.Changed(t);
        return c.ExecuteAsync("UPDATE contracts SET buyer_left_at = NULL WHERE vin = @vin AND account_id = @accountId AND buyer_left_at IS NOT NULL",
            new { vin, accountId }, t);
    }

    /// <summary>Erasure: the Car Security contact data of the account's contracts (the contracts themselves stay, as the law requires).</summary>
    internal static Task DeleteCarSecurityDetailsOfAccountAsync(DbConnection c, DbTransaction t, string accountId) =>
        c.ExecuteAsync("DELETE FROM car_security_details WHERE contract_id IN (SELECT id FROM contracts WHERE account_id = @accountId)", new { accountId }, t);

    private static ContractRecord Map(Row r) => new(
        r.Id, r.Vin, r.AccountId, r.PackageId, r.State, r.AutoRenew != 0, At(r.PurchasedAt), At(r.StartsAt), At(r.EndsAt), (int)r.Terms, r.PriceMinor,
        r.Currency, r.CancelledAt is { } cancelled ? At(cancelled) : null, r.CancelChannel, r.CancelReference,
        r.WithdrawnAt is { } withdrawn ? At(withdrawn) : null, r.RefundMinor, r.BuyerLeftAt is { } left ? At(left) : null);

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Vin { get; init; } = "";
        public string? AccountId { get; init; }
        public string PackageId { get; init; } = "";
        public string State { get; init; } = "";
        public long AutoRenew { get; init; }
        public long PurchasedAt { get; init; }
        public long StartsAt { get; init; }
        public long EndsAt { get; init; }
        public long Terms { get; init; }
        public long PriceMinor { get; init; }
        public string Currency { get; init; } = "";
        public long? CancelledAt { get; init; }
        public string? CancelChannel { get; init; }
        public string? CancelReference { get; init; }
        public long? WithdrawnAt { get; init; }
        public long? RefundMinor { get; init; }
        public long? BuyerLeftAt { get; init; }
    }
}
