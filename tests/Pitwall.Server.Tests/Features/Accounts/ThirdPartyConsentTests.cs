using System.Net;
using System.Net.Http.Json;
using Pitwall.Server.Features.Accounts.OpenIdConnect;
using Pitwall.Server.Tests.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>Third-party apps with the owner's consent over HTTP: per car and per scope, enforced by the vehicle-service gate,
/// withdrawn per car or altogether.</summary>
public abstract class ThirdPartyConsentTests(PitwallServer server)
{
    private const string Redirect = "https://parking.example/cb";

    private async Task<string> ThirdPartyAppAsync()
    {
        var created = await (await server.AdminAsync()).PostAsJsonAsync("/api/v1/admin/clients",
            new { kind = "third_party", name = "Parking App", redirectUris = new[] { Redirect }, scopes = new[] { "read_location", "read_vehicle_info", "control_security" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.JsonAsync()).GetProperty("clientId").GetString()!;
    }

    [Fact]
    public async Task A_token_for_car_A_with_read_location_reads_As_position_and_nothing_else()
    {
        var clientId = await ThirdPartyAppAsync();
        var a = await server.OwnedVehicleAsync();
        var b = await server.OwnedVehicleAsync(owner: a.Owner);
        using var app = new OAuthTestClient(server, clientId, Redirect);

        var tokens = await app.SignInWithCodeAsync(a.Owner.Email, a.Owner.Password, "read_location read_vehicle_info offline_access", ([a.Vin], ["read_location"]));
        Assert.Equal("read_location offline_access", tokens.GetProperty("scope").GetString());
        var api = server.ClientWith(tokens.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/vehicles/{a.Vin}/location")).StatusCode);
        await (await api.GetAsync($"/api/v1/vehicles/{a.Vin}/status")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await api.GetAsync($"/api/v1/vehicles/{a.Vin}")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await api.GetAsync($"/api/v1/vehicles/{a.Vin}/drivers")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await api.GetAsync($"/api/v1/vehicles/{b.Vin}/location")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        // Nothing outside the cars: not the owner's account, car list or live events.
        foreach (var path in new[] { "/api/v1/me", "/api/v1/vehicles", "/api/v1/events" })
        {
            await (await api.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        }
        // The owner's own first-party access is untouched.
        Assert.Equal(HttpStatusCode.OK, (await a.Client.GetAsync($"/api/v1/vehicles/{b.Vin}/status")).StatusCode);

        var consent = Assert.Single(await server.Get<AppConsents>().ListAsync(a.AccountId, CancellationToken.None));
        Assert.Equal("Parking App", consent.AppName);
        Assert.Equal([a.Vin], consent.Vehicles.Keys);

        Assert.True(await server.Get<AppConsents>().WithdrawAsync(a.AccountId, consent.Id, a.Vin, CancellationToken.None));
        await (await api.GetAsync($"/api/v1/vehicles/{a.Vin}/location")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        var refreshed = await app.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal("invalid_grant", (await refreshed.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Withdrawing_one_of_two_cars_ends_that_car_at_once_and_a_known_app_skips_the_screen()
    {
        var clientId = await ThirdPartyAppAsync();
        var a = await server.OwnedVehicleAsync();
        var b = await server.OwnedVehicleAsync(owner: a.Owner);
        using var app = new OAuthTestClient(server, clientId, Redirect);
        var tokens = await app.SignInWithCodeAsync(a.Owner.Email, a.Owner.Password, "read_vehicle_info", ([a.Vin, b.Vin], ["read_vehicle_info"]));
        var api = server.ClientWith(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/vehicles/{b.Vin}/status")).StatusCode);

        var consent = Assert.Single(await server.Get<AppConsents>().ListAsync(a.AccountId, CancellationToken.None));
        Assert.True(await server.Get<AppConsents>().WithdrawAsync(a.AccountId, consent.Id, b.Vin, CancellationToken.None));
        await (await api.GetAsync($"/api/v1/vehicles/{b.Vin}/status")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/vehicles/{a.Vin}/status")).StatusCode);

        // Asking again for what the owner already allowed needs no second consent (no decision is given here).
        var again = await app.SignInWithCodeAsync(a.Owner.Email, a.Owner.Password, "read_vehicle_info");
        Assert.Equal(HttpStatusCode.OK, (await server.ClientWith(again.GetProperty("access_token").GetString()!).GetAsync($"/api/v1/vehicles/{a.Vin}")).StatusCode);
    }

    [Fact]
    public async Task An_owner_who_denies_sends_the_app_access_denied()
    {
        var clientId = await ThirdPartyAppAsync();
        var a = await server.OwnedVehicleAsync();
        using var app = new OAuthTestClient(server, clientId, Redirect);
        var callback = await app.AuthorizeAsync(a.Owner.Email, a.Owner.Password, "read_location", ([], []));
        Assert.StartsWith(Redirect, callback.ToString());
        Assert.Contains("error=access_denied", callback.Query);
        Assert.Null(OAuthTestClient.CodeOf(callback));
        Assert.Empty(await server.Get<AppConsents>().ListAsync(a.AccountId, CancellationToken.None));
    }
}

public sealed class ThirdPartyConsentOnSqlite(SqliteServer server) : ThirdPartyConsentTests(server), IClassFixture<SqliteServer>;

public sealed class ThirdPartyConsentOnPostgres(PostgresServer server) : ThirdPartyConsentTests(server), IClassFixture<PostgresServer>;
