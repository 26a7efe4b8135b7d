using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// Apple Push Notification service over HTTP/2 (APNs speaks nothing else) with token-based authentication: a provider
/// token (JWT, ES256, <c>kid</c> = key id, <c>iss</c> = team id) reused for up to 50 minutes, as Apple asks (a new one
/// at most every 20, at least every 60 minutes).
/// </summary>
internal sealed class ApnsClient : IPushProvider, IDisposable
{
    public const string HttpClientName = "pitwall.notifications.apns";

    internal static readonly TimeSpan ProviderTokenReuse = TimeSpan.FromMinutes(50);

    private readonly IHttpClientFactory _http;
    private readonly ApnsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ApnsClient> _logger;
    private readonly Lazy<ECDsa> _key;
    private readonly Lock _tokenGate = new();
    private ProviderToken? _token;

    public ApnsClient(IHttpClientFactory http, IOptions<NotificationChannelOptions> options, TimeProvider time, ILogger<ApnsClient> logger)
    {
        _http = http;
        _options = options.Value.Apns;
        _time = time;
        _logger = logger;
        _key = new Lazy<ECDsa>(() => ChannelCredentials.LoadApnsKey(_options));
    }

    public string Platform => PushPlatforms.Apns;

    public bool IsConfigured => _options.IsSet;

    public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (!message.IsFor(NotificationProcessors.Apns))
        {
            return new DeliveryOutcome.Failed("not released for APNs");
        }
        if (string.IsNullOrWhiteSpace(message.Address) || !message.Address.All(char.IsAsciiHexDigit))
        {
            // A token that cannot be a device token would only put a stranger's text into our request path.
            return new DeliveryOutcome.AddressGone("not an APNs device token");
        }
        ProviderToken token;
        try
        {
            token = CurrentToken();
        }
        catch (ChannelConfigurationException e)
        {
            return new DeliveryOutcome.Failed(e.Message);
        }
        var apnsId = ApnsId(message.Id).ToString("D");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_options.BaseUrl.TrimEnd('/')}/3/device/{message.Address}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            // P4: only what the gateway released for APNs (device token, title, text, our ids).
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["aps"] = new { alert = new { title = message.Title, body = message.Body }, sound = "default" },
                ["id"] = message.Id,
                ["type"] = message.Type,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token.Value);
        request.Headers.Add("apns-topic", _options.Topic);
        request.Headers.Add("apns-push-type", "alert");
        request.Headers.Add("apns-id", apnsId);
        request.Headers.Add("apns-priority", _options.Priority.ToString(CultureInfo.InvariantCulture));
        return await ChannelHttp.ExchangeAsync(_http.CreateClient(HttpClientName), request, "APNs", async (response, deadline) =>
        {
            if (response.IsSuccessStatusCode)
            {
                return new DeliveryOutcome.Delivered(response.Headers.TryGetValues("apns-id", out var ids) ? ids.FirstOrDefault() : apnsId);
            }
            var code = ChannelHttp.Code(ChannelHttp.Text(await ChannelHttp.JsonBodyAsync(response, deadline), "reason"));
            var reason = $"APNs answered {ChannelHttp.Status(response)}{(code is null ? "" : " " + code)}";
            if (response.StatusCode == HttpStatusCode.Gone || code is "BadDeviceToken" or "Unregistered")
            {
                return new DeliveryOutcome.AddressGone(reason);
            }
            if (code is "ExpiredProviderToken" or "InvalidProviderToken")
            {
                lock (_tokenGate)
                {
                    if (_token == token)
                    {
                        _token = null;
                    }
                }
                if (code == "InvalidProviderToken")
                {
                    ChannelLog.CredentialsRefused(_logger, "APNs", reason);
                }
                return new DeliveryOutcome.Retry(reason);
            }
            return ChannelHttp.IsTransient(response.StatusCode)
                ? new DeliveryOutcome.Retry(reason, ChannelHttp.RetryAfter(response, _time))
                : new DeliveryOutcome.Failed(reason);
        }, cancellationToken);
    }

    /// <summary>
    /// The <c>apns-id</c> of a message: its id when that is a UUID, else a name-based UUID (version 8, from SHA-256) of
    /// it, so that a resend of the same delivery carries the same apns-id.
    /// </summary>
    public static Guid ApnsId(string messageId)
    {
        if (Guid.TryParse(messageId, out var id))
        {
            return id;
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("pitwall.apns-id:" + messageId), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private ProviderToken CurrentToken()
    {
        var now = _time.GetUtcNow();
        lock (_tokenGate)
        {
            if (_token is { } token && now >= token.IssuedAt && now - token.IssuedAt < ProviderTokenReuse)
            {
                return token;
            }
            var value = Jwt.SignEs256(_key.Value,
                new Dictionary<string, object> { ["alg"] = "ES256", ["kid"] = _options.KeyId! },
                new Dictionary<string, object> { ["iss"] = _options.TeamId!, ["iat"] = now.ToUnixTimeSeconds() });
            return _token = new ProviderToken(value, now);
        }
    }

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }

    private sealed record ProviderToken(string Value, DateTimeOffset IssuedAt);
}
