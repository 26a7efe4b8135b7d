using System.Text.Json.Nodes;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Charging;

/// <summary>The tables of what partners publish (OCPI objects kept as JSON), each row keyed by the partner that sent it.</summary>
internal enum PartnerTable
{
    Locations,
    Tariffs,
}

/// <summary>SQL for the locations and tariffs partners push (<c>charging_locations</c>, <c>charging_tariffs</c>). Every read and
/// write names the partner: one partner never reaches another's objects.</summary>
internal sealed class PartnerObjectStore(Database database)
{
    private static string Name(PartnerTable table) => table == PartnerTable.Locations ? "charging_locations" : "charging_tariffs";

    public async Task<JsonObject?> GetAsync(PartnerTable table, string partnerId, string countryCode, string partyId, string id, CancellationToken cancellationToken)
    {
        var body = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(
            $"SELECT body FROM {Name(table)} WHERE partner_id = @partnerId AND country_code = @countryCode AND party_id = @partyId AND id = @id",
            new { partnerId, countryCode, partyId, id }), cancellationToken);
        return body is null ? null : JsonNode.Parse(body) as JsonObject;
    }

    /// <summary>Stores the object; true when it was new.</summary>
    public async Task<bool> PutAsync(PartnerTable table, string partnerId, string countryCode, string partyId, string id, JsonObject body, DateTimeOffset lastUpdated,
        CancellationToken cancellationToken)
    {
        var args = new { partnerId, countryCode, partyId, id, body = body.ToJsonString(), lastUpdated = lastUpdated.ToUnixTimeMilliseconds() };
        return await database.WriteAsync(async (c, t) =>
        {
            var updated = await c.ExecuteAsync(
                $"UPDATE {Name(table)} SET body = @body, last_updated = @lastUpdated WHERE partner_id = @partnerId AND country_code = @countryCode AND party_id = @partyId AND id = @id",
                args, t);
            if (updated == 0)
            {
                await c.ExecuteAsync(
                    $"INSERT INTO {Name(table)} (partner_id, country_code, party_id, id, body, last_updated) VALUES (@partnerId, @countryCode, @partyId, @id, @body, @lastUpdated)",
                    args, t);
            }
            return updated == 0;
        }, cancellationToken);
    }

    public async Task<bool> DeleteAsync(PartnerTable table, string partnerId, string countryCode, string partyId, string id, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            $"DELETE FROM {Name(table)} WHERE partner_id = @partnerId AND country_code = @countryCode AND party_id = @partyId AND id = @id",
            new { partnerId, countryCode, partyId, id }, t), cancellationToken) == 1;

    /// <summary>The locations of one party whose stored body contains <paramref name="text"/> (a pre-filter: the caller checks the
    /// parsed object), with the partner that published each.</summary>
    public async Task<IReadOnlyList<(string PartnerId, JsonObject Body)>> LocationsMentioningAsync(string countryCode, string partyId, string text, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<(string PartnerId, string Body)>(
                "SELECT partner_id, body FROM charging_locations WHERE country_code = @countryCode AND party_id = @partyId AND body LIKE @pattern LIMIT 10",
                new { countryCode, partyId, pattern = "%" + text + "%" }), cancellationToken))
            .Select(r => (r.PartnerId, JsonNode.Parse(r.Body) as JsonObject))
            .Where(r => r.Item2 is not null)
            .Select(r => (r.PartnerId, r.Item2!))];
}
