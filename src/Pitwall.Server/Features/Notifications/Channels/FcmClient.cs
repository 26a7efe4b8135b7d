using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// Firebase Cloud Messaging, HTTP v1 API. Authenticates as a Google service account: a JWT assertion signed (RS256) with
/// the account's key is exchanged at the token endpoint for an access token, which is reused until shortly before it
/// expires (one token request serves many messages).
/// </summary>
internal sealed class FcmClient : IPushProvider, IDisposable
{
    public const string HttpClientName = "pitwall.notifications.fcm";
    internal const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    /// <summary>A token is replaced this long before it expires, so that none expires on its way.</summary>
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromHours(1);

    private readonly IHttpClientFactory _http;
    private readonly FcmOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FcmClient> _logger;
    private readonly Lazy<FcmCredentials> _credentials;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private AccessToken? _token;

    public FcmClient(IHttpClientFactory http, IOptions<NotificationChannelOptions> options, TimeProvider time, ILogger<FcmClient> logger)
    {
        _http = http;
        _options = options.Value.Fcm;
        _time = time;
        _logger = logger;
        _credentials = new Lazy<FcmCredentials>(() => ChannelCredentials.LoadFcm(_options));
    }

    public string Platform => PushPlatforms.Fcm;

    public bool IsConfigured => _options.IsSet;

    public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (!message.IsFor(NotificationProcessors.Fcm))
        {
            return new DeliveryOutcome.Failed("not released for FCM");
        }
        FcmCredentials credentials;
        try
        {
            credentials = _credentials.Value;
        }
        catch (ChannelConfigurationException e)
        {
            return new DeliveryOutcome.Failed(e.Message);
        }
        var (token, refused) = await AccessTokenAsync(credentials, cancellationToken);
        if (token is null)
        {
            return refused!;
        }
        var client = _http.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{_options.BaseUrl.TrimEnd('/')}/v1/projects/{Uri.EscapeDataString(credentials.ProjectId)}/messages:send")
        {
            // P4: only what the gateway released for FCM (device token, title, text, our ids).
            Content = JsonContent.Create(new
            {
                message = new
                {
                    token = message.Address,
                    notification = new { title = message.Title, body = message.Body },
                    data = new Dictionary<string, string> { ["id"] = message.Id, ["type"] = message.Type },
                },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        return await ChannelHttp.ExchangeAsync(client, request, "FCM", async (response, deadline) =>
        {
            var body = await ChannelHttp.JsonBodyAsync(response, deadline);
            if (response.IsSuccessStatusCode)
            {
                return new DeliveryOutcome.Delivered(ChannelHttp.Text(body, "name"));
            }
            var code = ErrorCode(body);
            var reason = $"FCM answered {ChannelHttp.Status(response)}{(code is null ? "" : " " + code)}";
            if (response.StatusCode == HttpStatusCode.NotFound || code == "UNREGISTERED")
            {
                return new DeliveryOutcome.AddressGone(reason);
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                // The token was revoked or the clock jumped: fetch a new one next time.
                Interlocked.CompareExchange(ref _token, null, token);
                return new DeliveryOutcome.Retry(reason);
            }
            return ChannelHttp.IsTransient(response.StatusCode)
                ? new DeliveryOutcome.Retry(reason, ChannelHttp.RetryAfter(response, _time))
                : new DeliveryOutcome.Failed(reason);
        }, cancellationToken);
    }

    /// <summary>FCM's own error code (<c>UNREGISTERED</c>, <c>QUOTA_EXCEEDED</c>, …) from <c>error.details[]</c>, else the
    /// Google API status (<c>INVALID_ARGUMENT</c>).</summary>
    private static string? ErrorCode(System.Text.Json.JsonElement? body)
    {
        if (body is { } root && root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("error", out var error) &&
            error.ValueKind == System.Text.Json.JsonValueKind.Object && error.TryGetProperty("details", out var details) &&
            details.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                if (ChannelHttp.Code(ChannelHttp.Text(detail, "errorCode")) is { } code)
                {
                    return code;
                }
            }
        }
        return ChannelHttp.Code(ChannelHttp.Text(body, "error", "status"));
    }

    private async Task<(AccessToken? Token, DeliveryOutcome? Refused)> AccessTokenAsync(FcmCredentials credentials, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _token) is { } cached && _time.GetUtcNow() < cached.RefreshAt)
        {
            return (cached, null);
        }
        await _tokenGate.WaitAsync(cancellationToken);
        try
        {
            // Another send may have fetched one while this one waited.
            if (_token is { } fresh && _time.GetUtcNow() < fresh.RefreshAt)
            {
                return (fresh, null);
            }
            return await RequestTokenAsync(credentials, cancellationToken);
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    private async Task<(AccessToken? Token, DeliveryOutcome? Refused)> RequestTokenAsync(FcmCredentials credentials, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var header = new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT" };
        if (!string.IsNullOrEmpty(credentials.KeyId))
        {
            header["kid"] = credentials.KeyId;
        }
        var assertion = Jwt.SignRs256(credentials.Key, header, new Dictionary<string, object>
        {
            ["iss"] = credentials.ClientEmail,
            ["scope"] = Scope,
            ["aud"] = credentials.TokenUri.AbsoluteUri,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + AssertionLifetime).ToUnixTimeSeconds(),
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, credentials.TokenUri)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = assertion,
            }),
        };
        AccessToken? token = null;
        var outcome = await ChannelHttp.ExchangeAsync(_http.CreateClient(HttpClientName), request, "FCM token endpoint", async (response, deadline) =>
        {
            var body = await ChannelHttp.JsonBodyAsync(response, deadline);
            if (response.IsSuccessStatusCode && ChannelHttp.Text(body, "access_token") is { Length: > 0 } value)
            {
                var lifetime = body!.Value.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0
                    ? TimeSpan.FromSeconds(seconds)
                    : AssertionLifetime;
                var margin = lifetime > 2 * RefreshMargin ? RefreshMargin : lifetime / 2;
                token = new AccessToken(value, now + lifetime - margin);
                return new DeliveryOutcome.Delivered();
            }
            var code = ChannelHttp.Code(ChannelHttp.Text(body, "error"));
            var reason = $"FCM token endpoint answered {ChannelHttp.Status(response)}{(code is null ? "" : " " + code)}";
            if (ChannelHttp.IsTransient(response.StatusCode))
            {
                return new DeliveryOutcome.Retry(reason, ChannelHttp.RetryAfter(response, _time));
            }
            // Refused credentials are the operator's to fix; the message itself is fine, so it waits for a retry.
            ChannelLog.CredentialsRefused(_logger, "FCM", reason);
            return new DeliveryOutcome.Retry(reason);
        }, cancellationToken);
        if (token is not null)
        {
            Volatile.Write(ref _token, token);
        }
        return (token, token is null ? outcome : null);
    }

    public void Dispose()
    {
        _tokenGate.Dispose();
        if (_credentials.IsValueCreated)
        {
            _credentials.Value.Key.Dispose();
        }
    }

    private sealed record AccessToken(string Value, DateTimeOffset RefreshAt);
}
