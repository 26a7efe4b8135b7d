using System.Net;
using System.Net.Http.Json;
using Pitwall.Server.Tests.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>The client registry through the admin API: registering, rotating a partner's secret, removing.</summary>
public abstract class ClientRegistryTests(PitwallServer server)
{
    private Task<HttpResponseMessage> ClientCredentialsAsync(string clientId, string secret, string scope) =>
        server.Client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));

    [Fact]
    public async Task An_admin_registers_a_partner_whose_secret_works_until_rotated_and_the_client_until_removed()
    {
        var admin = await server.AdminAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/admin/clients", new { kind = "partner", name = "Fleet Co", scopes = new[] { "read_dealer" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = await created.JsonAsync();
        var clientId = client.GetProperty("clientId").GetString()!;
        var secret = client.GetProperty("clientSecret").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(clientId, secret, "read_dealer")).StatusCode);

        // The list never shows a secret; the database keeps only its hash.
        var listed = Assert.Single((await (await admin.GetAsync("/api/v1/admin/clients")).JsonAsync()).EnumerateArray(),
            c => c.GetProperty("clientId").GetString() == clientId);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("clientSecret").ValueKind);
        Assert.Equal(["read_dealer"], listed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());

        var rotated = await (await admin.PostAsync($"/api/v1/admin/clients/{clientId}/secret", null)).JsonAsync();
        var newSecret = rotated.GetProperty("clientSecret").GetString()!;
        Assert.NotEqual(secret, newSecret);
        Assert.Equal("invalid_client", (await (await ClientCredentialsAsync(clientId, secret, "read_dealer")).JsonAsync()).GetProperty("error").GetString());
        var token = (await (await ClientCredentialsAsync(clientId, newSecret, "read_dealer")).JsonAsync()).GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/clients/{clientId}")).StatusCode);
        Assert.Equal("invalid_client", (await (await ClientCredentialsAsync(clientId, newSecret, "read_dealer")).JsonAsync()).GetProperty("error").GetString());
        await (await server.ClientWith(token).GetAsync("/api/v1/vehicles")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Registrations_are_validated_and_only_admins_may_make_them()
    {
        var admin = await server.AdminAsync();
        var bad = await admin.PostAsJsonAsync("/api/v1/admin/clients",
            new { kind = "third_party", name = "", redirectUris = new[] { "http://evil.example/cb" }, scopes = new[] { "read_everything" } });
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        foreach (var field in new[] { "name", "redirectUris", "scopes" })
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        }
        var app = await (await admin.PostAsJsonAsync("/api/v1/admin/clients",
            new { kind = "third_party", name = "Parking App", redirectUris = new[] { "https://parking.example/cb" }, scopes = new[] { "read_location" } })).JsonAsync();
        Assert.Equal("third_party", app.GetProperty("kind").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, app.GetProperty("clientSecret").ValueKind);

        var owner = await server.NewOwnerAsync();
        await (await server.ClientWith(owner.AccessToken).PostAsJsonAsync("/api/v1/admin/clients", new { kind = "partner", name = "X", scopes = new[] { "read_dealer" } }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await admin.PostAsync("/api/v1/admin/clients/nobody/secret", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostAsync($"/api/v1/admin/clients/{app.GetProperty("clientId").GetString()}/secret", null))
            .AssertProblemAsync(HttpStatusCode.Conflict, "client_has_no_secret");
        await (await admin.DeleteAsync("/api/v1/admin/clients/pitwall-app")).AssertProblemAsync(HttpStatusCode.Conflict, "client_built_in");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_client_registry_with_its_problems()
    {
        var paths = (await (await server.Client.GetAsync("/openapi/v1.json")).JsonAsync()).GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/admin/clients").TryGetProperty("post", out var create));
        Assert.True(create.GetProperty("responses").TryGetProperty("400", out _));
        var rotate = paths.GetProperty("/api/v1/admin/clients/{clientId}/secret").GetProperty("post").GetProperty("responses");
        Assert.True(rotate.TryGetProperty("404", out _) && rotate.TryGetProperty("409", out _));
        Assert.True(paths.GetProperty("/api/v1/admin/clients/{clientId}").TryGetProperty("delete", out _));
    }
}

public sealed class ClientRegistryOnSqlite(SqliteServer server) : ClientRegistryTests(server), IClassFixture<SqliteServer>;

public sealed class ClientRegistryOnPostgres(PostgresServer server) : ClientRegistryTests(server), IClassFixture<PostgresServer>;
