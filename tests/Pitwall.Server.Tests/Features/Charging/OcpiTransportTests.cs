using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator.Cpo;

namespace Pitwall.Server.Tests.Features.Charging;

/// <summary>
/// Pitwall's OCPI answers held to the rules of OCPI 2.2.1 itself (transport and format, status codes, credentials), not only to
/// what the simulator expects: the envelope's fields and types, UTC RFC 3339 timestamps, HTTP 401 for a missing or unknown token,
/// token A void after registration, 405 for a second POST or a PUT/DELETE before registering, echoed request ids, pagination headers.
/// </summary>
public sealed partial class OcpiTransportTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    /// <summary>OCPI DateTime: RFC 3339 in UTC, e.g. 2015-06-29T20:39:09Z (at most 25 characters with the Z).</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$")]
    private static partial Regex OcpiTime();

    /// <summary>The response format: status_code an integer, status_message a string when present, timestamp an OCPI DateTime,
    /// data present on success.</summary>
    private static void AssertEnvelope(OcpiAnswer answer, int statusCode, bool withData)
    {
        var envelope = answer.Envelope ?? throw new Xunit.Sdk.XunitException($"HTTP {(int)answer.Http}: no OCPI envelope");
        Assert.Equal(statusCode, envelope["status_code"]!.GetValue<int>());
        Assert.Matches(OcpiTime(), envelope["timestamp"]!.GetValue<string>());
        Assert.True(envelope["timestamp"]!.GetValue<string>().Length <= 25);
        if (envelope["status_message"] is { } message)
        {
            Assert.Equal(System.Text.Json.JsonValueKind.String, message.GetValueKind());
        }
        Assert.Equal(withData, envelope["data"] is not null);
        Assert.True(envelope.All(p => p.Key is "data" or "status_code" or "status_message" or "timestamp"), "only the envelope's fields");
    }

    [Fact]
    public async Task The_handshake_swaps_token_a_for_token_c_after_reading_the_partners_versions_with_token_b()
    {
        var (_, tokenA) = await server.NewPartnerAsync();
        var tokenB = "b-" + Guid.NewGuid().ToString("N");
        await using var versions = new CpoVersionsServer(tokenB);
        var cpo = new OcpiCpoClient(server.Client, "DE", "HSK", "Handshake CPO") { Token = tokenA };

        var list = await cpo.SendAsync(HttpMethod.Get, "/ocpi/versions", null, CancellationToken.None);
        AssertEnvelope(list, 1000, withData: true);
        var details = await cpo.SendAsync(HttpMethod.Get, list.Data![0]!["url"]!.GetValue<string>(), null, CancellationToken.None);
        AssertEnvelope(details, 1000, withData: true);
        Assert.Equal("2.2.1", details.Data!["version"]!.GetValue<string>());
        var modules = details.Data["endpoints"]!.AsArray().Select(e => $"{e!["identifier"]} {e["role"]}").ToList();
        Assert.Contains("tokens SENDER", modules);
        Assert.Contains("cdrs RECEIVER", modules);
        Assert.Contains("locations RECEIVER", modules);
        // With token A, only versions and credentials: a module answers 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await cpo.SendAsync(HttpMethod.Get, "/ocpi/2.2.1/tokens", null, CancellationToken.None)).Http);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await cpo.SendAsync(HttpMethod.Put, "/ocpi/2.2.1/credentials", cpo.Credentials(versions.Versions, tokenB), CancellationToken.None)).Http);

        var registered = await cpo.RegisterAsync(new Uri(server.Client.BaseAddress!, "/ocpi/versions"), tokenA, versions.Versions, tokenB, CancellationToken.None);
        AssertEnvelope(registered, 1000, withData: true);
        var tokenC = registered.Data!["token"]!.GetValue<string>();
        Assert.NotEqual(tokenA, tokenC);
        Assert.True(tokenC.Length <= 64);
        Assert.Equal("EMSP", registered.Data["roles"]![0]!["role"]!.GetValue<string>());
        Assert.True(versions.Authenticated >= 2, "Pitwall read the partner's versions and details with token B");

        Assert.Equal(HttpStatusCode.OK, (await cpo.SendAsync(HttpMethod.Get, "/ocpi/2.2.1/tokens", null, CancellationToken.None)).Http);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await cpo.SendAsync(HttpMethod.Post, "/ocpi/2.2.1/credentials", cpo.Credentials(versions.Versions, tokenB), CancellationToken.None)).Http);
        cpo.Token = tokenA;
        Assert.Equal(HttpStatusCode.Unauthorized, (await cpo.SendAsync(HttpMethod.Get, "/ocpi/versions", null, CancellationToken.None)).Http);

        // Update: a new token B, a new token C; the old C stops working.
        cpo.Token = tokenC;
        var updated = await cpo.SendAsync(HttpMethod.Put, "/ocpi/2.2.1/credentials", cpo.Credentials(versions.Versions, tokenB), CancellationToken.None);
        AssertEnvelope(updated, 1000, withData: true);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cpo.SendAsync(HttpMethod.Get, "/ocpi/2.2.1/tokens", null, CancellationToken.None)).Http);
        cpo.Token = updated.Data!["token"]!.GetValue<string>();
        AssertEnvelope(await cpo.SendAsync(HttpMethod.Delete, "/ocpi/2.2.1/credentials", null, CancellationToken.None), 1000, withData: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cpo.SendAsync(HttpMethod.Get, "/ocpi/2.2.1/tokens", null, CancellationToken.None)).Http);
    }

    [Fact]
    public async Task A_partner_whose_versions_cannot_be_read_is_not_registered_and_gets_3001()
    {
        var (_, tokenA) = await server.NewPartnerAsync();
        await using var versions = new CpoVersionsServer("the right token B");
        var cpo = new OcpiCpoClient(server.Client, "DE", "BAD", "Bad CPO") { Token = tokenA };
        var answer = await cpo.SendAsync(HttpMethod.Post, "/ocpi/2.2.1/credentials", cpo.Credentials(versions.Versions, "a-token-b-the-cpo-does-not-accept"), CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, answer.Http);
        AssertEnvelope(answer, 3001, withData: false);
        // Still pending: token A still opens only versions and credentials.
        Assert.Equal(HttpStatusCode.OK, (await cpo.SendAsync(HttpMethod.Get, "/ocpi/versions", null, CancellationToken.None)).Http);
    }

    [Fact]
    public async Task A_missing_or_wrong_token_is_refused_with_401_and_an_envelope_and_the_request_ids_are_echoed()
    {
        await using var cpo = await server.RegisteredCpoAsync("WRG");
        foreach (var authorization in new string?[] { null, "Token " + Convert.ToBase64String(Encoding.UTF8.GetBytes("not-a-token")), "Bearer x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/ocpi/2.2.1/tokens");
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }
            request.Headers.Add("X-Request-ID", "req-1");
            request.Headers.Add("X-Correlation-ID", "corr-1");
            using var response = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("req-1", response.Headers.GetValues("X-Request-ID").Single());
            Assert.Equal("corr-1", response.Headers.GetValues("X-Correlation-ID").Single());
            var envelope = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(2000, envelope["status_code"]!.GetValue<int>());
        }
        // A peer that does not Base64-encode its token (as many 2.1.1 and 2.2 peers do) is still recognised.
        using var raw = new HttpRequestMessage(HttpMethod.Get, "/ocpi/2.2.1/tokens");
        raw.Headers.Authorization = new AuthenticationHeaderValue("Token", cpo.Client.Token);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(raw)).StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_400_and_a_valid_object_missing_required_fields_is_2001_without_an_http_error()
    {
        await using var cpo = await server.RegisteredCpoAsync("BDY");
        using var request = new HttpRequestMessage(HttpMethod.Post, cpo.Client.Endpoint("cdrs"))
        {
            Content = new StringContent("{\"id\": ", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", Convert.ToBase64String(Encoding.UTF8.GetBytes(cpo.Client.Token!)));
        using var malformed = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(2001, JsonNode.Parse(await malformed.Content.ReadAsStringAsync())!["status_code"]!.GetValue<int>());

        var missing = await cpo.Client.PostCdrAsync(new JsonObject { ["country_code"] = "DE", ["party_id"] = "BDY", ["id"] = "CDR-1" }, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, missing.Http);
        AssertEnvelope(missing, 2001, withData: false);
        Assert.Contains("start_date_time", missing.Envelope!["status_message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_token_list_pages_with_link_total_count_and_limit_and_keeps_the_filters()
    {
        for (var i = 0; i < 3; i++)
        {
            await server.DriverWithCardAsync();
        }
        await using var cpo = await server.RegisteredCpoAsync("PAG");
        var from = OcpiObjects.Time(server.Clock.GetUtcNow().AddDays(-1));
        var first = await cpo.Client.SendAsync(HttpMethod.Get, $"{cpo.Client.Endpoint("tokens")}?date_from={from}&limit=2", null, CancellationToken.None);
        AssertEnvelope(first, 1000, withData: true);
        var total = int.Parse(first.Header("X-Total-Count")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total >= 6, "three cards and three app tokens");
        Assert.Equal("100", first.Header("X-Limit"));
        Assert.Equal(2, first.Data!.AsArray().Count);
        var link = first.Header("Link")!;
        Assert.Matches("^<.+>; rel=\"next\"$", link);
        Assert.Contains("offset=2", link);
        Assert.Contains("date_from=", link);
        var all = await cpo.Client.AllTokensAsync(2, CancellationToken.None);
        Assert.Equal(total, all.Count);
        Assert.Equal(total, all.Select(t => t["uid"]!.GetValue<string>()).Distinct().Count());
        foreach (var token in all)
        {
            Assert.Equal("PWL", token["party_id"]!.GetValue<string>());
            Assert.Matches(OcpiTime(), token["last_updated"]!.GetValue<string>());
            Assert.Matches("^DE-PWL-C[0-9A-Z]{8}-[0-9A-Z]$", token["contract_id"]!.GetValue<string>());
            Assert.Contains(token["whitelist"]!.GetValue<string>(), new[] { "ALWAYS", "ALLOWED", "ALLOWED_OFFLINE", "NEVER" });
        }
        var past = await cpo.Client.SendAsync(HttpMethod.Get, $"{cpo.Client.Endpoint("tokens")}?date_to={from}", null, CancellationToken.None);
        Assert.Empty(past.Data!.AsArray());
        Assert.Null(past.Header("Link"));
    }
}
