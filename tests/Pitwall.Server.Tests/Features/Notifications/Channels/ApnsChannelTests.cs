using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Notifications.Channels;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>
/// A stand-in for APNs on loopback that speaks HTTP/2 only (cleartext, prior knowledge) and checks the provider token's
/// ES256 signature with the key's public half. The device token's first three digits choose the answer: 410
/// (Unregistered), 400 (BadDeviceToken), 413 (PayloadTooLarge), 503 (Retry-After 120); anything else is accepted.
/// </summary>
public sealed class ApnsChannelTests : IAsyncLifetime
{
    private const string TeamId = "TEAM123456";
    private const string KeyId = "KEY7890ABC";
    private const string Topic = "com.example.pitwall";
    private const string Device = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private LoopbackPeer _apns = null!;

    public async Task InitializeAsync() => _apns = await LoopbackPeer.StartAsync(HandleAsync, HttpProtocols.Http2);

    public async Task DisposeAsync() => await _apns.DisposeAsync();

    private static async Task HandleAsync(LoopbackPeer peer, HttpContext context, ReceivedRequest request)
    {
        var jwt = request.Header("authorization").StartsWith("bearer ", StringComparison.Ordinal)
            ? JwtCheck.VerifyEs256(request.Header("authorization")["bearer ".Length..], TestKeys.Apns)
            : null;
        if (jwt is not { } token || token.Header.GetProperty("kid").GetString() != KeyId || token.Claims.GetProperty("iss").GetString() != TeamId)
        {
            await Results.Json(new { reason = "InvalidProviderToken" }, statusCode: 403).ExecuteAsync(context);
            return;
        }
        var device = request.Path["/3/device/".Length..];
        context.Response.Headers["apns-id"] = request.Header("apns-id");
        IResult answer = device[..3] switch
        {
            "410" => Results.Json(new { reason = "Unregistered", timestamp = 1700000000000 }, statusCode: 410),
            "400" => Results.Json(new { reason = "BadDeviceToken" }, statusCode: 400),
            "413" => Results.Json(new { reason = "PayloadTooLarge" }, statusCode: 413),
            "503" => Results.Json(new { reason = "ServiceUnavailable" }, statusCode: 503),
            _ => Results.Ok(),
        };
        if (device.StartsWith("503", StringComparison.Ordinal))
        {
            context.Response.Headers.RetryAfter = "120";
        }
        await answer.ExecuteAsync(context);
    }

    private ChannelHost Host() => ChannelHost.Start(
        ("Apns:TeamId", TeamId),
        ("Apns:KeyId", KeyId),
        ("Apns:PrivateKey", TestKeys.ApnsPem),
        ("Apns:Topic", Topic),
        ("Apns:BaseUrl", _apns.BaseUrl.ToString()));

    private static OutgoingMessage Message(string device = Device, string id = "delivery-1", string? platform = PushPlatforms.Apns) =>
        TestMessages.For(NotificationProcessors.Apns, id, "alarm.triggered", "Vehicle alarm", "The alarm went off: interior movement.", DateTimeOffset.UnixEpoch,
            device, platform);

    [Fact]
    public async Task Delivers_over_HTTP2_with_a_reused_provider_token_a_stable_apns_id_and_no_VIN()
    {
        using var host = Host();
        var push = host.Channel(NotificationChannels.Push);
        Assert.True(push.IsConfigured);

        var first = await push.SendAsync(Message(), CancellationToken.None);
        var again = await push.SendAsync(Message(), CancellationToken.None);
        var other = await push.SendAsync(Message(id: "delivery-2"), CancellationToken.None);

        var apnsId = ApnsClient.ApnsId("delivery-1").ToString("D");
        Assert.Equal(new DeliveryOutcome.Delivered(apnsId), first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        var requests = _apns.Requests.ToList();
        Assert.All(requests, r => Assert.Equal("HTTP/2", r.Protocol));
        var request = requests[0];
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/3/device/{Device}", request.Path);
        Assert.Equal(Topic, request.Header("apns-topic"));
        Assert.Equal("alert", request.Header("apns-push-type"));
        Assert.Equal("10", request.Header("apns-priority"));
        Assert.Equal(apnsId, request.Header("apns-id"));
        var alert = JsonDocument.Parse(request.Body).RootElement.GetProperty("aps").GetProperty("alert");
        Assert.Equal("Vehicle alarm", alert.GetProperty("title").GetString());
        Assert.Equal("The alarm went off: interior movement.", alert.GetProperty("body").GetString());
        Assert.All(requests, r => Assert.DoesNotContain(TestKeys.Vin, r.Body + string.Join(' ', r.Headers.Values), StringComparison.Ordinal));

        // One provider token for every request within 50 minutes, then a new one.
        Assert.Single(requests.Select(r => r.Header("authorization")).Distinct());
        var claims = JwtCheck.VerifyEs256(request.Header("authorization")["bearer ".Length..], TestKeys.Apns)!.Value.Claims;
        Assert.Equal(host.Clock.GetUtcNow().ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
        host.Clock.Advance(TimeSpan.FromMinutes(49));
        await push.SendAsync(Message(), CancellationToken.None);
        Assert.Single(_apns.Requests.Select(r => r.Header("authorization")).Distinct());
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await push.SendAsync(Message(), CancellationToken.None);
        Assert.Equal(2, _apns.Requests.Select(r => r.Header("authorization")).Distinct().Count());
    }

    [Fact]
    public async Task Unregistered_and_bad_device_tokens_are_gone_a_busy_APNs_is_retried_and_a_refused_payload_fails()
    {
        using var host = Host();
        var push = host.Channel(NotificationChannels.Push);
        string Token(string status) => status + Device[3..];

        Assert.IsType<DeliveryOutcome.AddressGone>(await push.SendAsync(Message(Token("410")), CancellationToken.None));
        var bad = Assert.IsType<DeliveryOutcome.AddressGone>(await push.SendAsync(Message(Token("400")), CancellationToken.None));
        Assert.Contains("BadDeviceToken", bad.Reason, StringComparison.Ordinal);
        var retry = Assert.IsType<DeliveryOutcome.Retry>(await push.SendAsync(Message(Token("503")), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(120), retry.After);
        var failed = Assert.IsType<DeliveryOutcome.Failed>(await push.SendAsync(Message(Token("413")), CancellationToken.None));
        Assert.Contains("PayloadTooLarge", failed.Reason, StringComparison.Ordinal);
        Assert.IsType<DeliveryOutcome.AddressGone>(await push.SendAsync(Message("not/a/token"), CancellationToken.None));
        Assert.Equal(4, _apns.Requests.Count);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(Device[3..], StringComparison.Ordinal));
    }

    [Fact]
    public void The_apns_id_is_the_delivery_id_when_it_is_a_uuid_and_a_stable_uuid_of_it_otherwise()
    {
        var uuid = Guid.NewGuid();
        Assert.Equal(uuid, ApnsClient.ApnsId(uuid.ToString()));
        Assert.Equal(ApnsClient.ApnsId("outbox-42"), ApnsClient.ApnsId("outbox-42"));
        Assert.NotEqual(ApnsClient.ApnsId("outbox-42"), ApnsClient.ApnsId("outbox-43"));
        Assert.Equal(8, ApnsClient.ApnsId("outbox-42").Version);
    }

    [Fact]
    public async Task Push_picks_the_provider_by_platform_and_refuses_an_unconfigured_or_unknown_one()
    {
        using var host = Host();
        var push = host.Channel(NotificationChannels.Push);
        var fcm = Assert.IsType<DeliveryOutcome.Failed>(await push.SendAsync(Message(platform: PushPlatforms.Fcm), CancellationToken.None));
        Assert.Contains("not configured", fcm.Reason, StringComparison.Ordinal);
        Assert.IsType<DeliveryOutcome.Failed>(await push.SendAsync(Message(platform: "wns"), CancellationToken.None));
        Assert.IsType<DeliveryOutcome.Failed>(await push.SendAsync(Message(platform: null), CancellationToken.None));
        Assert.Empty(_apns.Requests);
    }
}
