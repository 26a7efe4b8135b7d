using System.Security.Cryptography;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Charging;

/// <summary>A charge point operator set up by an administrator. <paramref name="State"/>: <c>pending</c> (token A issued, no
/// handshake yet), <c>registered</c>, <c>unregistered</c>.</summary>
internal sealed record Partner(
    string Id, string Name, string State, string? CountryCode, string? PartyId, string? VersionsUrl, string? TokenB, string? Endpoints,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const string Pending = "pending";
    public const string Registered = "registered";
    public const string Unregistered = "unregistered";
}

/// <summary>SQL for the OCPI partners (<c>charging_partners</c>). The tokens Pitwall issues (A and C) are kept as hashes only.</summary>
internal sealed class PartnerStore(Database database, TimeProvider time)
{
    private const string Columns =
        "id, name, state, country_code AS CountryCode, party_id AS PartyId, versions_url AS VersionsUrl, token_b AS TokenB, endpoints, created_at AS CreatedAtMs, updated_at AS UpdatedAtMs";

    /// <summary>A new credentials token: 32 random bytes, base64url (ASCII, 43 characters: within OCPI's 64).</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Creates a partner with a fresh registration token A, which is returned once and stored only as its hash.</summary>
    public async Task<(Partner Partner, string TokenA)> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var id = "cpo_" + Base64Url(RandomNumberGenerator.GetBytes(9));
        var tokenA = NewToken();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO charging_partners (id, name, state, token_a_hash, created_at, updated_at)
            VALUES (@id, @name, 'pending', @hash, @now, @now)
            """, new { id, name, hash = Hashing.Sha256Hex(tokenA), now }, t), cancellationToken);
        return ((await FindAsync(id, cancellationToken))!, tokenA);
    }

    public async Task<Partner?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM charging_partners WHERE id = @id", new { id }), cancellationToken))?.ToPartner();

    public async Task<IReadOnlyList<Partner>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<Row>($"SELECT {Columns} FROM charging_partners ORDER BY name, id"), cancellationToken)).Select(r => r.ToPartner())];

    /// <summary>The partner one of the given tokens belongs to, and whether it is its token C (registered) rather than token A.</summary>
    public async Task<(Partner Partner, bool Registered)?> FindByTokenAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        // At most two readings of the header (decoded, as sent); named parameters, not a list (Dapper sends a list to Npgsql as an array).
        var h1 = Hashing.Sha256Hex(tokens[0]);
        var h2 = tokens.Count > 1 ? Hashing.Sha256Hex(tokens[1]) : h1;
        var row = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<Row>(
            $"SELECT {Columns}, CASE WHEN token_c_hash IN (@h1, @h2) THEN 1 ELSE 0 END AS ByTokenC FROM charging_partners " +
            "WHERE token_c_hash IN (@h1, @h2) OR token_a_hash IN (@h1, @h2)", new { h1, h2 }), cancellationToken);
        return row is null ? null : (row.ToPartner(), row.ByTokenC == 1);
    }

    /// <summary>Registration or update of the credentials: stores the partner's token B, party and endpoints, throws token A
    /// away and returns the new token C (stored as its hash).</summary>
    public async Task<string> RegisterAsync(string id, string tokenB, string versionsUrl, string countryCode, string partyId, string endpoints, CancellationToken cancellationToken)
    {
        var tokenC = NewToken();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            UPDATE charging_partners SET state = 'registered', token_a_hash = NULL, token_c_hash = @hash, token_b = @tokenB,
                versions_url = @versionsUrl, country_code = @countryCode, party_id = @partyId, endpoints = @endpoints, updated_at = @now
            WHERE id = @id
            """, new { id, hash = Hashing.Sha256Hex(tokenC), tokenB, versionsUrl, countryCode, partyId, endpoints, now }, t), cancellationToken);
        return tokenC;
    }

    /// <summary>Ends the registration (the partner's DELETE, or an administrator's): every token stops working.</summary>
    public Task UnregisterAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE charging_partners SET state = 'unregistered', token_a_hash = NULL, token_c_hash = NULL, token_b = NULL, updated_at = @now WHERE id = @id",
            new { id, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);

    /// <summary>Whether another registered partner already uses this party (a party registers once).</summary>
    public Task<bool> PartyTakenAsync(string id, string countryCode, string partyId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<bool>(
            "SELECT COUNT(*) > 0 FROM charging_partners WHERE id <> @id AND state = 'registered' AND country_code = @countryCode AND party_id = @partyId",
            new { id, countryCode, partyId }), cancellationToken);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string State { get; set; } = "";
        public string? CountryCode { get; set; }
        public string? PartyId { get; set; }
        public string? VersionsUrl { get; set; }
        public string? TokenB { get; set; }
        public string? Endpoints { get; set; }
        public long CreatedAtMs { get; set; }
        public long UpdatedAtMs { get; set; }
        public long ByTokenC { get; set; }

        public Partner ToPartner() => new(Id, Name, State, CountryCode, PartyId, VersionsUrl, TokenB, Endpoints,
            StoredTime.Read(CreatedAtMs), StoredTime.Read(UpdatedAtMs));
    }
}
