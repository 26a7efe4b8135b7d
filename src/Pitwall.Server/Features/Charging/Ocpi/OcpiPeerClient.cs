using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>The result of reading a partner's versions: its 2.2.1 endpoints (JSON array), or the OCPI status why not.</summary>
internal sealed record PeerDiscovery(string? Endpoints, int StatusCode, string Message);

/// <summary>
/// Calls a partner's OCPI endpoints with the token it gave Pitwall (token B), sent as <c>Authorization: Token &lt;base64&gt;</c>,
/// through the processor gateway's HTTP handler (no cookies, tracing or forwarding headers).
/// </summary>
internal sealed partial class OcpiPeerClient(IHttpClientFactory clients, ILogger<OcpiPeerClient> logger)
{
    public const string ClientName = "ocpi-partners";

    /// <summary>During the credentials handshake: the partner's versions, its 2.2.1 details and their endpoints.
    /// Unreachable or unreadable: 3001; no 2.2.1: 3002; no endpoints: 3003.</summary>
    public async Task<PeerDiscovery> DiscoverAsync(string versionsUrl, string tokenB, CancellationToken cancellationToken)
    {
        var versions = await GetDataAsync(versionsUrl, tokenB, cancellationToken);
        if (versions is null)
        {
            return new(null, OcpiStatus.UnableToUseClientApi, "Could not read your versions endpoint with the token you sent.");
        }
        var url = (versions as JsonArray)?.OfType<JsonObject>().FirstOrDefault(v => v.Text("version") == OcpiUrls.Version)?.Text("url");
        if (url is null)
        {
            return new(null, OcpiStatus.UnsupportedVersion, "Your versions list has no " + OcpiUrls.Version + ".");
        }
        var details = await GetDataAsync(url, tokenB, cancellationToken);
        if (details is not JsonObject detailsObject)
        {
            return new(null, OcpiStatus.UnableToUseClientApi, "Could not read your " + OcpiUrls.Version + " version details.");
        }
        return detailsObject["endpoints"] is JsonArray { Count: > 0 } endpoints
            ? new(endpoints.ToJsonString(), OcpiStatus.Success, "Success")
            : new(null, OcpiStatus.NoMatchingEndpoints, "Your version details list no endpoints.");
    }

    public static string Authorization(string token) => Convert.ToBase64String(Encoding.UTF8.GetBytes(token));

    private async Task<JsonNode?> GetDataAsync(string url, string token, CancellationToken cancellationToken)
    {
        var (http, envelope) = await SendAsync(HttpMethod.Get, url, token, null, cancellationToken);
        if (http is not (>= 200 and < 300))
        {
            return null;
        }
        return envelope?["status_code"] is JsonValue code && code.TryGetValue<int>(out var status) && status == OcpiStatus.Success ? envelope["data"] : null;
    }

    /// <summary>One call to a partner's endpoint: the HTTP status and the OCPI envelope it answered with (null when the body is not
    /// one); HTTP status 0 when the partner could not be reached.</summary>
    public async Task<(int Http, JsonObject? Envelope)> SendAsync(HttpMethod method, string url, string token, JsonNode? body, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (0, null);
        }
        try
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", Authorization(token));
            request.Headers.Add(OcpiAuthFilter.RequestIdHeader, Guid.NewGuid().ToString());
            request.Headers.Add(OcpiAuthFilter.CorrelationIdHeader, Guid.NewGuid().ToString());
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(OcpiJson.Options), Encoding.UTF8, "application/json");
            }
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogPartnerRefused(logger, (int)response.StatusCode);
            }
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonObject? envelope = null;
            try
            {
                envelope = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
            }
            catch (JsonException)
            {
                // not an OCPI envelope
            }
            return ((int)response.StatusCode, envelope);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or FormatException)
        {
            LogPartnerUnreachable(logger, e.GetType().Name);
            return (0, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI partner answered HTTP {Status}")]
    private static partial void LogPartnerRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI partner could not be read ({Error})")]
    private static partial void LogPartnerUnreachable(ILogger logger, string error);
}
