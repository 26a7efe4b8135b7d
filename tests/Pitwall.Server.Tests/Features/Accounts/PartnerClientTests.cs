using System.Net;
using System.Net.Http.Json;
using Pitwall.Server.Tests.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>Issue 20: a partner back end's <c>client_credentials</c> token reaches only the routes of its partner scopes and is
/// refused the owner's API, every car, other roles' consoles, the administration and the third-party app routes.</summary>
public abstract class PartnerClientTests(PitwallServer server)
{
    [Fact]
    public async Task A_client_credentials_token_reaches_only_its_partner_routes()
    {
        var admin = await server.AdminAsync();
        var partner = await (await admin.PostAsJsonAsync("/api/v1/admin/clients", new { kind = "partner", name = "Dealer Group", scopes = new[] { "read_dealer" } })).JsonAsync();
        var token = await server.Client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = partner.GetProperty("clientId").GetString()!,
            ["client_secret"] = partner.GetProperty("clientSecret").GetString()!, ["scope"] = "read_dealer",
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var api = server.ClientWith((await token.JsonAsync()).GetProperty("access_token").GetString()!);

        // Its scope opens the dealer routes: the answer is theirs (no dealer is linked to this client), not the scope check's.
        await (await api.GetAsync("/api/v1/dealer")).AssertProblemAsync(HttpStatusCode.Forbidden, "dealer_account_not_linked");

        var owned = await server.OwnedVehicleAsync();
        foreach (var path in new[]
                 {
                     "/api/v1/me", "/api/v1/vehicles", $"/api/v1/vehicles/{owned.Vin}/location", $"/api/v1/vehicles/{owned.Vin}/status",
                     "/api/v1/me/app-consents", "/api/v1/events", "/api/v1/admin/clients", "/api/v1/soc/cases",
                 })
        {
            var response = await api.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
        await (await api.GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await api.GetAsync($"/api/v1/vehicles/{owned.Vin}/location")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/app/vehicles")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/api/v1/app/webhooks", new { url = "https://partner.example/hooks" })).StatusCode);

        // Asking for a scope it was not registered with gets no token at all.
        var more = await server.Client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = partner.GetProperty("clientId").GetString()!,
            ["client_secret"] = partner.GetProperty("clientSecret").GetString()!, ["scope"] = "read_vehicle",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, more.StatusCode);
    }
}

public sealed class PartnerClientOnSqlite(SqliteServer server) : PartnerClientTests(server), IClassFixture<SqliteServer>;
