using System.Security.Cryptography;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Charging;

/// <summary>SQL for the accounts' charging contracts and tokens (<c>charging_contracts</c>, <c>charging_tokens</c>).</summary>
internal sealed class ChargingTokenStore(Database database, TimeProvider time)
{
    private const string TokenColumns =
        "uid, type, account_id AS AccountId, contract_id AS ContractId, visual_number AS VisualNumber, valid, created_at AS CreatedAtMs, last_updated AS LastUpdatedMs";

    public async Task<ChargingContract?> ContractAsync(string accountId, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<(string? Vin, string ContractId, long CreatedAt)>(
            "SELECT vin, contract_id, created_at FROM charging_contracts WHERE account_id = @accountId", new { accountId }), cancellationToken);
        return row.Vin is null ? null : new ChargingContract(accountId, row.Vin, row.ContractId, StoredTime.Read(row.CreatedAt));
    }

    /// <summary>The account's contract, created with a new contract id and the app's APP_USER token on first use; a later call
    /// moves the contract to <paramref name="vin"/> (the car whose package now grants the service).</summary>
    public async Task<ChargingContract> EnsureContractAsync(string accountId, string vin, string contractId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync(async (c, t) =>
        {
            var created = await c.ExecuteAsync(
                """
                INSERT INTO charging_contracts (account_id, vin, contract_id, created_at) VALUES (@accountId, @vin, @contractId, @now)
                ON CONFLICT (account_id) DO NOTHING
                """, new { accountId, vin, contractId, now }, t);
            if (created == 1)
            {
                await InsertTokenAsync(c, t, NewUid(), ChargingToken.AppUser, accountId, contractId, null, now);
            }
            else
            {
                await c.ExecuteAsync("UPDATE charging_contracts SET vin = @vin WHERE account_id = @accountId AND vin <> @vin", new { accountId, vin }, t);
            }
        }, cancellationToken);
        return (await ContractAsync(accountId, cancellationToken))!;
    }

    /// <summary>A new RFID card under the account's contract: a random 7-byte card UID and the number printed on the card.</summary>
    public async Task<ChargingToken> OrderCardAsync(ChargingContract contract, CancellationToken cancellationToken)
    {
        var uid = NewUid();
        var visual = $"{contract.ContractId}-{RandomNumberGenerator.GetInt32(100, 1000)}";
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync((c, t) => InsertTokenAsync(c, t, uid, ChargingToken.Rfid, contract.AccountId, contract.ContractId, visual, now), cancellationToken);
        return (await FindAsync(uid, ChargingToken.Rfid, cancellationToken))!;
    }

    public async Task<IReadOnlyList<ChargingToken>> OfAccountAsync(string accountId, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<Row>($"SELECT {TokenColumns} FROM charging_tokens WHERE account_id = @accountId ORDER BY created_at, uid",
            new { accountId }), cancellationToken)).Select(r => r.ToToken())];

    public async Task<ChargingToken?> FindAsync(string uid, string type, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row>($"SELECT {TokenColumns} FROM charging_tokens WHERE uid = @uid AND type = @type",
            new { uid, type }), cancellationToken))?.ToToken();

    /// <summary>Blocks one of the account's cards (OCPI: <c>valid</c> false; tokens are never deleted). False: no such card.</summary>
    public async Task<bool> BlockAsync(string accountId, string uid, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE charging_tokens SET valid = 0, last_updated = @now WHERE account_id = @accountId AND uid = @uid AND type = 'RFID' AND valid = 1",
            new { accountId, uid, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken) == 1;

    /// <summary>One page of every token changed in [<paramref name="from"/>, <paramref name="to"/>), oldest change first, and how many match.</summary>
    public async Task<(IReadOnlyList<ChargingToken> Page, int Total)> PageAsync(DateTimeOffset? from, DateTimeOffset? to, int offset, int limit, CancellationToken cancellationToken)
    {
        var args = new { from = from?.ToUnixTimeMilliseconds() ?? long.MinValue, to = to?.ToUnixTimeMilliseconds() ?? long.MaxValue, offset, limit };
        const string where = "WHERE last_updated >= @from AND last_updated < @to";
        return await database.ReadAsync(async c =>
        {
            var total = await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM charging_tokens {where}", args);
            var rows = await c.QueryAsync<Row>($"SELECT {TokenColumns} FROM charging_tokens {where} ORDER BY last_updated, uid LIMIT @limit OFFSET @offset", args);
            return ((IReadOnlyList<ChargingToken>)[.. rows.Select(r => r.ToToken())], total);
        }, cancellationToken);
    }

    private static Task<int> InsertTokenAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string uid, string type, string accountId,
        string contractId, string? visualNumber, long now) =>
        c.ExecuteAsync(
            """
            INSERT INTO charging_tokens (uid, type, account_id, contract_id, visual_number, valid, created_at, last_updated)
            VALUES (@uid, @type, @accountId, @contractId, @visualNumber, 1, @now, @now)
            """, new { uid, type, accountId, contractId, visualNumber, now }, t);

    private static string NewUid() => Convert.ToHexString(RandomNumberGenerator.GetBytes(7));

    private sealed class Row
    {
        public string Uid { get; set; } = "";
        public string Type { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string ContractId { get; set; } = "";
        public string? VisualNumber { get; set; }
        public long Valid { get; set; }
        public long CreatedAtMs { get; set; }
        public long LastUpdatedMs { get; set; }

        public ChargingToken ToToken() => new(Uid, Type, AccountId, ContractId, VisualNumber, Valid == 1, StoredTime.Read(CreatedAtMs), StoredTime.Read(LastUpdatedMs));
    }
}
