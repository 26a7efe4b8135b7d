using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Notifications.Channels;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>
/// An SMS gateway on loopback that wants the bearer API key. The number chooses the answer: …503 (Retry-After 7),
/// …429, …400, …999 (never answers), …998 (accepts, then its body stalls); anything else is accepted with an id.
/// </summary>
public sealed class SmsChannelTests : IAsyncLifetime
{
    private const string ApiKey = "sms-key-5d41402abc4b2a76";

    private LoopbackPeer _gateway = null!;

    public async Task InitializeAsync() => _gateway = await LoopbackPeer.StartAsync(HandleAsync);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static async Task HandleAsync(LoopbackPeer peer, HttpContext context, ReceivedRequest request)
    {
        if (request.Header("authorization") != $"Bearer {ApiKey}")
        {
            context.Response.StatusCode = 401;
            return;
        }
        var to = JsonDocument.Parse(request.Body).RootElement.GetProperty("to").GetString()!;
        switch (to[^3..])
        {
            case "503":
                context.Response.Headers.RetryAfter = "7";
                context.Response.StatusCode = 503;
                break;
            case "429":
                context.Response.StatusCode = 429;
                break;
            case "400":
                await Results.Json(new { error = "invalid number" }, statusCode: 400).ExecuteAsync(context);
                break;
            case "999":
                await peer.Hang.WaitAsync(context.RequestAborted);
                break;
            case "998":
                // Accepted, and then the body stalls.
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\":", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await peer.Hang.WaitAsync(context.RequestAborted);
                break;
            default:
                await Results.Json(new { id = $"sms-{peer.Requests.Count}" }, statusCode: 202).ExecuteAsync(context);
                break;
        }
    }

    private ChannelHost Host(string apiKey = ApiKey, string timeout = "00:00:10") => ChannelHost.Start(
        ("Sms:Url", _gateway.Url("sms")),
        ("Sms:ApiKey", apiKey),
        ("Sms:Sender", "Pitwall"),
        ("Sms:Timeout", timeout));

    private static OutgoingMessage Message(string to, string body = "Your car left the 1 km radius.") =>
        TestMessages.For(NotificationProcessors.SmsGateway, "delivery-7", "valet.radius_exceeded", "Valet alarm: distance", body, DateTimeOffset.UnixEpoch, to);

    [Fact]
    public async Task Sends_number_text_and_reference_with_the_api_key_and_no_VIN()
    {
        using var host = Host();
        var sms = host.Channel(NotificationChannels.Sms);
        Assert.True(sms.IsConfigured);

        Assert.Equal(new DeliveryOutcome.Delivered("sms-1"), await sms.SendAsync(Message("+4915112345678"), CancellationToken.None));

        var request = Assert.Single(_gateway.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Header("content-type"), StringComparison.Ordinal);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("+4915112345678", body.GetProperty("to").GetString());
        Assert.Equal("Valet alarm: distance: Your car left the 1 km radius.", body.GetProperty("text").GetString());
        Assert.Equal("delivery-7", body.GetProperty("reference").GetString());
        Assert.Equal("Pitwall", body.GetProperty("from").GetString());
        Assert.DoesNotContain(TestKeys.Vin, request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("+49151", StringComparison.Ordinal) || l.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_text_is_cut_at_a_word_to_160_characters()
    {
        using var host = Host();
        var words = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"word{i}"));
        await host.Channel(NotificationChannels.Sms).SendAsync(Message("+4915112345678", words), CancellationToken.None);

        var text = JsonDocument.Parse(Assert.Single(_gateway.Requests).Body).RootElement.GetProperty("text").GetString()!;
        Assert.True(text.Length <= 160, text);
        Assert.EndsWith("...", text, StringComparison.Ordinal);
        Assert.StartsWith("Valet alarm: distance: word1 word2", text, StringComparison.Ordinal);
        Assert.Matches(@" word\d+\.\.\.$", text);
    }

    [Fact]
    public void Text_is_title_and_body_on_one_line_and_never_splits_a_character()
    {
        Assert.Equal("Title: Body text", SmsChannel.Text("Title", "Body\n  text"));
        Assert.Equal("Only the title", SmsChannel.Text("Only the title", " "));
        var emoji = SmsChannel.Text("T", new string('x', 153) + "\U0001F697\U0001F697\U0001F697");
        Assert.True(emoji.Length <= 160);
        Assert.False(char.IsHighSurrogate(emoji[^4]), "a surrogate pair was cut");
        Assert.Equal(new string('b', 157) + "...", SmsChannel.Text("", new string('b', 200)));
        Assert.Equal(new string('a', 100) + "...", SmsChannel.Text(new string('a', 100), new string('b', 100)));
    }

    [Fact]
    public async Task A_busy_gateway_is_retried_after_its_wait_a_refusal_fails_and_a_silent_one_times_out_into_a_retry()
    {
        using var host = Host();
        var sms = host.Channel(NotificationChannels.Sms);

        var busy = Assert.IsType<DeliveryOutcome.Retry>(await sms.SendAsync(Message("+4915100000503"), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(7), busy.After);
        Assert.IsType<DeliveryOutcome.Retry>(await sms.SendAsync(Message("+4915100000429"), CancellationToken.None));
        Assert.IsType<DeliveryOutcome.Failed>(await sms.SendAsync(Message("+4915100000400"), CancellationToken.None));
        using var impatient = Host(timeout: "00:00:00.5");
        var silent = Assert.IsType<DeliveryOutcome.Retry>(await impatient.Channel(NotificationChannels.Sms).SendAsync(Message("+4915100000999"), CancellationToken.None));
        Assert.Contains("timed out", silent.Reason, StringComparison.Ordinal);
        // The status decides: an accepted message whose answer stalls is delivered, not sent again.
        Assert.Equal(new DeliveryOutcome.Delivered(), await impatient.Channel(NotificationChannels.Sms).SendAsync(Message("+4915100000998"), CancellationToken.None));
    }

    [Fact]
    public async Task A_wrong_api_key_fails()
    {
        using var host = Host("wrong-key");
        Assert.IsType<DeliveryOutcome.Failed>(await host.Channel(NotificationChannels.Sms).SendAsync(Message("+4915112345678"), CancellationToken.None));
    }
}
