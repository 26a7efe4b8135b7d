using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Notifications.Channels;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>
/// A stand-in for Google's token endpoint and the FCM HTTP v1 API on loopback. The token endpoint checks the JWT
/// assertion's RS256 signature with the service account's public key; the send endpoint accepts only the token it issued.
/// Device tokens choose the answer: <c>gone</c> (404 UNREGISTERED), <c>busy</c> (503, Retry-After 30), <c>bad</c> (400).
/// </summary>
public sealed class FcmPeer : IAsyncDisposable
{
    public const string ClientEmail = "pitwall-push@pitwall-test.iam.gserviceaccount.com";
    public const string Project = "pitwall-test";

    private int _tokens;

    private FcmPeer(LoopbackPeer http) => Http = http;

    public LoopbackPeer Http { get; private set; }

    public int TokenRequests => Volatile.Read(ref _tokens);

    public string? IssuedToken { get; private set; }

    public List<JsonElement> Assertions { get; } = [];

    public IEnumerable<ReceivedRequest> Sends => Http.Requests.Where(r => r.Path.Contains("messages:send", StringComparison.Ordinal));

    public static async Task<FcmPeer> StartAsync()
    {
        FcmPeer? fcm = null;
        var http = await LoopbackPeer.StartAsync((peer, context, request) => fcm!.HandleAsync(peer, context, request));
        fcm = new FcmPeer(http);
        return fcm;
    }

    private async Task HandleAsync(LoopbackPeer peer, HttpContext context, ReceivedRequest request)
    {
        if (request.Path == "/token")
        {
            var form = request.Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            var verified = form.GetValueOrDefault("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer"
                ? JwtCheck.VerifyRs256(form.GetValueOrDefault("assertion") ?? "", TestKeys.ServiceAccount)
                : null;
            if (verified is not { } jwt ||
                jwt.Claims.GetProperty("iss").GetString() != ClientEmail ||
                jwt.Claims.GetProperty("scope").GetString() != "https://www.googleapis.com/auth/firebase.messaging" ||
                jwt.Claims.GetProperty("aud").GetString() != peer.Url("token") ||
                jwt.Claims.GetProperty("exp").GetInt64() - jwt.Claims.GetProperty("iat").GetInt64() != 3600)
            {
                await Results.Json(new { error = "invalid_grant", error_description = "Invalid JWT Signature." }, statusCode: 400).ExecuteAsync(context);
                return;
            }
            lock (Assertions)
            {
                Assertions.Add(jwt.Claims.Clone());
            }
            IssuedToken = $"ya29.test-token-{Interlocked.Increment(ref _tokens)}";
            await Results.Json(new { access_token = IssuedToken, expires_in = 3600, token_type = "Bearer" }).ExecuteAsync(context);
            return;
        }
        if (request.Path != $"/v1/projects/{Project}/messages:send")
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (request.Header("authorization") != $"Bearer {IssuedToken}")
        {
            await Results.Json(new { error = new { code = 401, status = "UNAUTHENTICATED" } }, statusCode: 401).ExecuteAsync(context);
            return;
        }
        var token = JsonDocument.Parse(request.Body).RootElement.GetProperty("message").GetProperty("token").GetString();
        switch (token)
        {
            case "gone":
                await Results.Json(new
                {
                    error = new
                    {
                        code = 404, message = "Requested entity was not found.", status = "NOT_FOUND",
                        details = new object[] { new Dictionary<string, string> { ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError", ["errorCode"] = "UNREGISTERED" } },
                    },
                }, statusCode: 404).ExecuteAsync(context);
                break;
            case "busy":
                context.Response.Headers.RetryAfter = "30";
                await Results.Json(new { error = new { code = 503, status = "UNAVAILABLE" } }, statusCode: 503).ExecuteAsync(context);
                break;
            case "bad":
                await Results.Json(new { error = new { code = 400, status = "INVALID_ARGUMENT" } }, statusCode: 400).ExecuteAsync(context);
                break;
            default:
                await Results.Json(new { name = $"projects/{Project}/messages/{Sends.Count()}" }).ExecuteAsync(context);
                break;
        }
    }

    public ValueTask DisposeAsync() => Http.DisposeAsync();
}

public sealed class FcmChannelTests : IAsyncLifetime
{
    private FcmPeer _fcm = null!;

    public async Task InitializeAsync() => _fcm = await FcmPeer.StartAsync();

    public async Task DisposeAsync() => await _fcm.DisposeAsync();

    private ChannelHost Host(string? privateKey = null) => ChannelHost.Start(
        ("Fcm:ProjectId", FcmPeer.Project),
        ("Fcm:ClientEmail", FcmPeer.ClientEmail),
        ("Fcm:PrivateKey", privateKey ?? TestKeys.ServiceAccountPem),
        ("Fcm:TokenUri", _fcm.Http.Url("token")),
        ("Fcm:BaseUrl", _fcm.Http.BaseUrl.ToString()));

    private static OutgoingMessage Message(string token, string id = "d-1") =>
        TestMessages.For(NotificationProcessors.Fcm, id, "charging.error", "Charging failed", "The charging plug is not locked.", DateTimeOffset.UnixEpoch, token,
            PushPlatforms.Fcm);

    [Fact]
    public async Task Delivers_to_FCM_with_one_access_token_for_several_messages_and_no_VIN()
    {
        using var host = Host();
        var push = host.Channel(NotificationChannels.Push);
        Assert.True(push.IsConfigured);

        for (var i = 1; i <= 3; i++)
        {
            var outcome = await push.SendAsync(Message($"device-{i}", $"d-{i}"), CancellationToken.None);
            Assert.Equal(new DeliveryOutcome.Delivered($"projects/{FcmPeer.Project}/messages/{i}"), outcome);
        }
        Assert.Equal(1, _fcm.TokenRequests);

        var sent = JsonDocument.Parse(_fcm.Sends.First().Body).RootElement.GetProperty("message");
        Assert.Equal("device-1", sent.GetProperty("token").GetString());
        Assert.Equal("Charging failed", sent.GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("The charging plug is not locked.", sent.GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal("d-1", sent.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("charging.error", sent.GetProperty("data").GetProperty("type").GetString());
        Assert.All(_fcm.Http.Requests, r => Assert.DoesNotContain(TestKeys.Vin, r.Body + string.Join(' ', r.Headers.Values), StringComparison.Ordinal));
        Assert.Equal(host.Clock.GetUtcNow().ToUnixTimeSeconds(), _fcm.Assertions[0].GetProperty("iat").GetInt64());

        // The token lasts an hour; shortly before it ends a new one is fetched.
        host.Clock.Advance(TimeSpan.FromMinutes(50));
        Assert.IsType<DeliveryOutcome.Delivered>(await push.SendAsync(Message("device-4", "d-4"), CancellationToken.None));
        Assert.Equal(1, _fcm.TokenRequests);
        host.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.IsType<DeliveryOutcome.Delivered>(await push.SendAsync(Message("device-5", "d-5"), CancellationToken.None));
        Assert.Equal(2, _fcm.TokenRequests);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("device-", StringComparison.Ordinal) || l.Contains("ya29", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_sends_share_one_token_request()
    {
        using var host = Host();
        var push = host.Channel(NotificationChannels.Push);
        var outcomes = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => push.SendAsync(Message($"device-{i}", $"d-{i}"), CancellationToken.None)));
        Assert.All(outcomes, o => Assert.IsType<DeliveryOutcome.Delivered>(o));
        Assert.Equal(1, _fcm.TokenRequests);
    }

    [Fact]
    public async Task An_unregistered_token_is_gone_a_busy_FCM_is_retried_after_its_wait_and_a_bad_request_fails()
    {
        using var host = Host();
        var push = host.Channel(NotificationChannels.Push);

        Assert.IsType<DeliveryOutcome.AddressGone>(await push.SendAsync(Message("gone"), CancellationToken.None));
        var retry = Assert.IsType<DeliveryOutcome.Retry>(await push.SendAsync(Message("busy"), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(30), retry.After);
        var failed = Assert.IsType<DeliveryOutcome.Failed>(await push.SendAsync(Message("bad"), CancellationToken.None));
        Assert.Contains("400 INVALID_ARGUMENT", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, _fcm.TokenRequests);
    }

    [Fact]
    public async Task Credentials_come_from_Googles_JSON_key_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pitwall-fcm-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = FcmPeer.Project,
            ["private_key_id"] = "key-1",
            ["private_key"] = TestKeys.ServiceAccountPem,
            ["client_email"] = FcmPeer.ClientEmail,
            ["token_uri"] = _fcm.Http.Url("token"),
        }));
        try
        {
            using var host = ChannelHost.Start(("Fcm:CredentialsFile", file), ("Fcm:BaseUrl", _fcm.Http.BaseUrl.ToString()));
            Assert.IsType<DeliveryOutcome.Delivered>(await host.Channel(NotificationChannels.Push).SendAsync(Message("device-1"), CancellationToken.None));
            Assert.Equal(1, _fcm.TokenRequests);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Refused_credentials_send_nothing_and_ask_for_a_retry()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        using var host = Host(other.ExportPkcs8PrivateKeyPem());
        var outcome = Assert.IsType<DeliveryOutcome.Retry>(await host.Channel(NotificationChannels.Push).SendAsync(Message("device-1"), CancellationToken.None));
        Assert.Contains("400 invalid_grant", outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(_fcm.Sends);
        Assert.Contains(host.Logs.Lines, l => l.Contains("refused the platform's credentials", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_provider_that_is_down_means_retry()
    {
        using var host = Host();
        await _fcm.DisposeAsync();
        var outcome = Assert.IsType<DeliveryOutcome.Retry>(await host.Channel(NotificationChannels.Push).SendAsync(Message("device-1"), CancellationToken.None));
        Assert.Contains("unreachable", outcome.Reason, StringComparison.Ordinal);
        _fcm = await FcmPeer.StartAsync();
    }
}
