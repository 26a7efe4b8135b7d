using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Pitwall.Simulator.Cpo;

/// <summary>
/// The CPO side of OCPI 2.2.1 towards an eMSP: the credentials handshake (read the eMSP's versions with token A, POST the CPO's
/// credentials with its token B, keep the token C the eMSP answers with), then pushes to the eMSP's receiver modules and calls
/// its sender modules with token C. Every call carries <c>Authorization: Token &lt;base64&gt;</c>, <c>X-Request-ID</c> and
/// <c>X-Correlation-ID</c>.
/// </summary>
public sealed class OcpiCpoClient(HttpClient http, string countryCode, string partyId, string name)
{
    private readonly Dictionary<string, string> _endpoints = new(StringComparer.Ordinal);

    public string CountryCode => countryCode;

    public string PartyId => partyId;

    /// <summary>The token the eMSP gave at registration (token C); null before.</summary>
    public string? Token { get; set; }

    /// <summary>The eMSP's endpoint of a module, e.g. <c>cdrs</c> (after <see cref="RegisterAsync"/>).</summary>
    public string Endpoint(string module) => _endpoints[module];

    /// <summary>Token A → versions → version details → POST credentials (token B, own versions URL) → token C.</summary>
    public async Task<OcpiAnswer> RegisterAsync(Uri emspVersions, string tokenA, Uri ownVersions, string tokenB, CancellationToken cancellationToken)
    {
        Token = tokenA;
        var versions = await SendAsync(HttpMethod.Get, emspVersions.ToString(), null, cancellationToken);
        var url = (versions.Data as JsonArray)?.OfType<JsonObject>().FirstOrDefault(v => (string?)v["version"] == "2.2.1")?["url"]?.GetValue<string>()
                  ?? throw new InvalidOperationException("The eMSP offers no OCPI 2.2.1.");
        var details = await SendAsync(HttpMethod.Get, url, null, cancellationToken);
        foreach (var endpoint in (details.Data?["endpoints"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            _endpoints.TryAdd((string)endpoint["identifier"]!, (string)endpoint["url"]!);
        }
        var answer = await SendAsync(HttpMethod.Post, Endpoint("credentials"), Credentials(ownVersions, tokenB), cancellationToken);
        if (answer.StatusCode == 1000)
        {
            Token = (string)answer.Data!["token"]!;
        }
        return answer;
    }

    public JsonObject Credentials(Uri ownVersions, string tokenB) => new()
    {
        ["token"] = tokenB,
        ["url"] = ownVersions.ToString(),
        ["roles"] = new JsonArray(new JsonObject
        {
            ["role"] = "CPO",
            ["business_details"] = new JsonObject { ["name"] = name },
            ["party_id"] = partyId,
            ["country_code"] = countryCode,
        }),
    };

    public Task<OcpiAnswer> PutLocationAsync(JsonObject location, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"{Endpoint("locations")}/{countryCode}/{partyId}/{location["id"]}", location, cancellationToken);

    public Task<OcpiAnswer> PatchEvseAsync(string locationId, string evseUid, JsonObject patch, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, $"{Endpoint("locations")}/{countryCode}/{partyId}/{locationId}/{evseUid}", patch, cancellationToken);

    public Task<OcpiAnswer> PutTariffAsync(JsonObject tariff, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"{Endpoint("tariffs")}/{countryCode}/{partyId}/{tariff["id"]}", tariff, cancellationToken);

    public Task<OcpiAnswer> AuthorizeAsync(string uid, string type, string locationId, string evseUid, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{Endpoint("tokens")}/{Uri.EscapeDataString(uid)}/authorize?type={type}",
            new JsonObject { ["location_id"] = locationId, ["evse_uids"] = new JsonArray(evseUid) }, cancellationToken);

    public Task<OcpiAnswer> PutSessionAsync(JsonObject session, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"{Endpoint("sessions")}/{countryCode}/{partyId}/{session["id"]}", session, cancellationToken);

    public Task<OcpiAnswer> PatchSessionAsync(string sessionId, JsonObject patch, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, $"{Endpoint("sessions")}/{countryCode}/{partyId}/{sessionId}", patch, cancellationToken);

    public Task<OcpiAnswer> PostCdrAsync(JsonObject cdr, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Endpoint("cdrs"), cdr, cancellationToken);

    /// <summary>Every token of the eMSP, following the <c>Link</c> header page by page.</summary>
    public async Task<List<JsonObject>> AllTokensAsync(int limit, CancellationToken cancellationToken)
    {
        var tokens = new List<JsonObject>();
        string? url = $"{Endpoint("tokens")}?limit={limit}";
        while (url is not null)
        {
            var page = await SendAsync(HttpMethod.Get, url, null, cancellationToken);
            tokens.AddRange((page.Data as JsonArray)?.OfType<JsonObject>() ?? []);
            url = page.Header("Link") is { } link && link.IndexOf('<') is var open and >= 0 && link.IndexOf('>') is var close and > 0 ? link[(open + 1)..close] : null;
        }
        return tokens;
    }

    public async Task<OcpiAnswer> SendAsync(HttpMethod method, string url, JsonNode? body, CancellationToken cancellationToken, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", Convert.ToBase64String(Encoding.UTF8.GetBytes(Token)));
        }
        request.Headers.Add("X-Request-ID", Guid.NewGuid().ToString());
        request.Headers.Add("X-Correlation-ID", correlationId ?? Guid.NewGuid().ToString());
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? envelope = null;
        try
        {
            envelope = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // not an OCPI envelope: the caller sees Envelope null
        }
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new OcpiAnswer(response.StatusCode, envelope, headers);
    }
}
