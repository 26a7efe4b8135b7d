using System.Net;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Hosting;

public abstract class HostingTests(PitwallServer server)
{
    [Fact]
    public async Task Health_endpoints_answer_live_and_ready()
    {
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_and_its_bearer_scheme()
    {
        var document = await (await server.Client.GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/auth/token", "/api/v1/auth/revoke", "/api/v1/auth/register", "/api/v1/me", "/api/v1/me/password", "/api/v1/privacy/data-categories",
                     "/api/v1/vehicles", "/api/v1/vehicles/{vin}/status", "/api/v1/vehicles/{vin}/location", "/api/v1/vehicles/{vin}/status/refresh",
                     "/api/v1/pairings", "/api/v1/pairings/{id}/confirm", "/api/v1/vehicles/{vin}/drivers", "/api/v1/vehicles/{vin}/access-keys",
                     "/api/v1/access/position", "/api/v1/events", "/api/v1/admin/vehicles", "/api/v1/admin/vehicles/import" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
        var browser = await server.Client.GetAsync("/api/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, browser.StatusCode);
    }
}

public sealed class HostingOnSqlite(SqliteServer server) : HostingTests(server), IClassFixture<SqliteServer>;

public sealed class HostingOnPostgres(PostgresServer server) : HostingTests(server), IClassFixture<PostgresServer>;

/// <summary>A server whose authentication rate limit is tiny, to see it bite.</summary>
public sealed class TightlyLimitedServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Pitwall:Http:AuthRequestsPerMinute", "3")];
}

public sealed class RateLimitTests(TightlyLimitedServer server) : IClassFixture<TightlyLimitedServer>
{
    [Fact]
    public async Task Authentication_endpoints_are_rate_limited_per_client_with_a_429_problem()
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "a@example.com", ["password"] = "whatever it is" };
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(form))).StatusCode);
        }
        var limited = await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(form));
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter);
        // Other endpoints are not counted against sign-in.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
    }
}
