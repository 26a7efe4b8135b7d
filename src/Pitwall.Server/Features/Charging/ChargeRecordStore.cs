using System.Text.Json.Nodes;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Charging;

/// <summary>A CDR as Pitwall keeps it for billing (G2): the seed's fields and the full OCPI object.</summary>
internal sealed record StoredCdr(
    string PartnerId, string CountryCode, string PartyId, string Id, string AccountId, string ContractId, string? SessionId, DateTimeOffset StartAt,
    DateTimeOffset EndAt, decimal TotalEnergy, decimal TotalCost, string Currency, JsonObject Body, DateTimeOffset ReceivedAt);

/// <summary>SQL for the sessions and CDRs partners send (<c>charging_sessions</c>, <c>charging_cdrs</c>), keyed by the partner.</summary>
internal sealed class ChargeRecordStore(Database database, TimeProvider time)
{
    private const string Key = "partner_id = @partnerId AND country_code = @countryCode AND party_id = @partyId AND id = @id";

    public async Task<JsonObject?> SessionAsync(string partnerId, string countryCode, string partyId, string id, CancellationToken cancellationToken)
    {
        var body = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>($"SELECT body FROM charging_sessions WHERE {Key}",
            new { partnerId, countryCode, partyId, id }), cancellationToken);
        return body is null ? null : JsonNode.Parse(body) as JsonObject;
    }

    /// <summary>Stores the session (insert or replace); true when it was new.</summary>
    public async Task<bool> PutSessionAsync(string partnerId, string countryCode, string partyId, string id, string accountId, string tokenUid, JsonObject body,
        CancellationToken cancellationToken)
    {
        var args = new
        {
            partnerId, countryCode, partyId, id, accountId, tokenUid, status = body["status"]?.GetValue<string>() ?? "",
            body = body.ToJsonString(), lastUpdated = Ocpi.OcpiRules.LastUpdated(body).ToUnixTimeMilliseconds(), now = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        return await database.WriteAsync(async (c, t) =>
        {
            var updated = await c.ExecuteAsync($"UPDATE charging_sessions SET status = @status, body = @body, last_updated = @lastUpdated WHERE {Key}", args, t);
            if (updated == 0)
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO charging_sessions (partner_id, country_code, party_id, id, account_id, token_uid, status, body, last_updated, received_at)
                    VALUES (@partnerId, @countryCode, @partyId, @id, @accountId, @tokenUid, @status, @body, @lastUpdated, @now)
                    """, args, t);
            }
            return updated == 0;
        }, cancellationToken);
    }

    /// <summary>One of the account's sessions by its OCPI id, with the partner that reported it (the newest, should two operators use
    /// the same id).</summary>
    public async Task<(string PartnerId, JsonObject Body)?> SessionOfAccountAsync(string accountId, string sessionId, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<(string PartnerId, string Body)>(
            "SELECT partner_id, body FROM charging_sessions WHERE account_id = @accountId AND id = @sessionId ORDER BY received_at DESC",
            new { accountId, sessionId }), cancellationToken);
        return row.Body is not null && JsonNode.Parse(row.Body) is JsonObject body ? (row.PartnerId, body) : null;
    }

    /// <summary>The account's sessions that are still running (PENDING or ACTIVE), newest first.</summary>
    public async Task<IReadOnlyList<(string PartnerId, JsonObject Body)>> RunningOfAsync(string accountId, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<(string PartnerId, string Body)>(
                "SELECT partner_id, body FROM charging_sessions WHERE account_id = @accountId AND status IN ('PENDING', 'ACTIVE') ORDER BY received_at DESC LIMIT 20",
                new { accountId }), cancellationToken))
            .Select(r => (r.PartnerId, (JsonObject)JsonNode.Parse(r.Body)!))];

    public async Task<StoredCdr?> CdrAsync(string partnerId, string countryCode, string partyId, string id, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<CdrRow>($"SELECT {CdrColumns} FROM charging_cdrs WHERE {Key}",
            new { partnerId, countryCode, partyId, id }), cancellationToken))?.ToCdr();

    /// <summary>Stores a new CDR; false when one with the same key was stored before (a CDR never changes: the first one stays).</summary>
    public async Task<bool> AddCdrAsync(StoredCdr cdr, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO charging_cdrs (partner_id, country_code, party_id, id, account_id, token_uid, contract_id, session_id, start_at, end_at,
                total_energy, total_cost, currency, body, received_at)
            VALUES (@PartnerId, @CountryCode, @PartyId, @Id, @AccountId, @TokenUid, @ContractId, @SessionId, @StartAt, @EndAt,
                @TotalEnergy, @TotalCost, @Currency, @Body, @ReceivedAt)
            ON CONFLICT (partner_id, country_code, party_id, id) DO NOTHING
            """, new
            {
                cdr.PartnerId, cdr.CountryCode, cdr.PartyId, cdr.Id, cdr.AccountId, TokenUid = cdr.Body["cdr_token"]?["uid"]?.GetValue<string>() ?? "",
                cdr.ContractId, cdr.SessionId, StartAt = cdr.StartAt.ToUnixTimeMilliseconds(), EndAt = cdr.EndAt.ToUnixTimeMilliseconds(),
                TotalEnergy = (double)cdr.TotalEnergy, TotalCost = (double)cdr.TotalCost, cdr.Currency, Body = cdr.Body.ToJsonString(),
                ReceivedAt = cdr.ReceivedAt.ToUnixTimeMilliseconds(),
            }, t), cancellationToken) == 1;

    /// <summary>The account's CDRs, newest first (its charging history).</summary>
    public async Task<IReadOnlyList<StoredCdr>> CdrsOfAsync(string accountId, int limit, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<CdrRow>($"SELECT {CdrColumns} FROM charging_cdrs WHERE account_id = @accountId ORDER BY start_at DESC LIMIT @limit",
            new { accountId, limit }), cancellationToken)).Select(r => r.ToCdr())];

    private const string CdrColumns =
        "partner_id AS PartnerId, country_code AS CountryCode, party_id AS PartyId, id, account_id AS AccountId, contract_id AS ContractId, session_id AS SessionId, " +
        "start_at AS StartAt, end_at AS EndAt, total_energy AS TotalEnergy, total_cost AS TotalCost, currency, body, received_at AS ReceivedAt";

    private sealed class CdrRow
    {
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
            (decimal)TotalEnergy, (decimal)TotalCost, Currency, (JsonObject)JsonNode.Parse(Body)!, StoredTime.Read(ReceivedAt));
    }
}
