using System.Net;
using System.Net.Http.Json;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Contracts;

/// <summary>
/// Entitlements are asked on every command; on SQLite the answer is kept for a few seconds. It must never outlive a
/// term: a command one second after the end is refused, however recently the car was found entitled.
/// </summary>
public abstract class EntitlementCacheTests(PitwallServer server)
{
    [Fact]
    public async Task An_entitlement_ends_with_its_term_even_when_it_was_checked_a_moment_before()
    {
        var owned = await server.OwnedVehicleAsync("Taycan", 2025);
        var bought = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/contracts", new { packageId = "connect_remote" });
        Assert.Equal(HttpStatusCode.Created, bought.StatusCode);
        var contract = await bought.JsonAsync();
        var end = contract.GetProperty("endsAt").GetDateTimeOffset();
        // Cancelled, so that the renewal job (its timer runs as the clock moves) lets the term end rather than renew it.
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PostAsync($"/api/v1/contracts/{contract.GetProperty("id").GetString()}/cancel", null)).StatusCode);

        server.Clock.Advance(end - server.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        var client = server.ClientWith((await server.SignInAsync(owned.Owner.Email, owned.Owner.Password)).AccessToken);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/commands", new { type = "flash" })).StatusCode);

        server.Clock.Advance(TimeSpan.FromSeconds(2)); // less than the cache lifetime, past the end of the term
        await (await client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/commands", new { type = "flash" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "not_entitled");
    }
}

public sealed class EntitlementCacheOnSqlite(ContractsSqliteServer server) : EntitlementCacheTests(server), IClassFixture<ContractsSqliteServer>;

public sealed class EntitlementCacheOnPostgres(ContractsPostgresServer server) : EntitlementCacheTests(server), IClassFixture<ContractsPostgresServer>;
