using System.Net;
using Pitwall.Server.Tests.Hosting;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>The provider checks client secrets and tokens before any endpoint runs; the sign-in limit still bites first, on
/// token, revocation and introspection alike (no unlimited guessing of a partner's secret).</summary>
public sealed class ProviderRateLimitTests(TightlyLimitedServer server) : IClassFixture<TightlyLimitedServer>
{
    private static FormUrlEncodedContent Guess(string secret) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials", ["client_id"] = "partner-unknown", ["client_secret"] = secret, ["scope"] = "read_dealer",
    });

    [Fact]
    public async Task Wrong_client_secrets_are_limited_per_address_and_revocation_and_introspection_share_the_limit()
    {
        for (var i = 0; i < 3; i++)
        {
            var refused = await server.Client.PostAsync("/connect/token", Guess($"guess {i}"));
            Assert.Equal("invalid_client", (await refused.JsonAsync()).GetProperty("error").GetString());
        }
        var limited = await server.Client.PostAsync("/connect/token", Guess("guess 4"));
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter);
        var token = new Dictionary<string, string> { ["token"] = "whatever", ["client_id"] = "partner-unknown", ["client_secret"] = "x" };
        await (await server.Client.PostAsync("/connect/revoke", new FormUrlEncodedContent(token))).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        await (await server.Client.PostAsync("/connect/introspect", new FormUrlEncodedContent(token))).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        // Discovery is not counted.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/.well-known/openid-configuration")).StatusCode);
    }
}
