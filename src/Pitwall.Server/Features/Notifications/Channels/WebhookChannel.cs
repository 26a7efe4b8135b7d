using System.Globalization;
using System.Net;
using System.Net.Mime;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// The <c>webhook</c> channel: POSTs <c>{"type", "timestamp", "data": {"id", "type", "title", "body", "vin"}}</c> to the
/// subscription's URL, signed with the Standard Webhooks headers (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>; see <see cref="StandardWebhookSignature"/>). Follows no redirects and calls no address
/// inside the server's networks (see <see cref="WebhookTargets"/>).
/// </summary>
internal sealed class WebhookChannel(IHttpClientFactory http, IOptions<NotificationChannelOptions> options, TimeProvider time, ILogger<WebhookChannel> logger)
    : INotificationChannel
{
    public const string HttpClientName = "pitwall.notifications.webhooks";

    private readonly WebhookOptions _options = options.Value.Webhooks;

    public string Name => NotificationChannels.Webhook;

    /// <summary>Always: the URL and the secret come with each subscription.</summary>
    public bool IsConfigured => true;

    public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        ChannelLog.Record(logger, Name, message.Id, await DeliverAsync(message, cancellationToken));

    /// <summary>The JSON body of a message, exactly as it is signed and sent.</summary>
    public static string Payload(OutgoingMessage message) => JsonSerializer.Serialize(new
    {
        type = message.Type,
        timestamp = message.At?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        data = new { id = message.Id, type = message.Type, title = message.Title, body = message.Body, vin = message.Vin },
    });

    private async Task<DeliveryOutcome> DeliverAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (!message.IsFor(NotificationProcessors.WebhookReceivers))
        {
            return new DeliveryOutcome.Failed("not released for webhook receivers");
        }
        if (!Uri.TryCreate(message.Address, UriKind.Absolute, out var url))
        {
            return new DeliveryOutcome.Failed("not a webhook URL");
        }
        if (!StandardWebhookSignature.TryDecodeSecret(message.Secret, out _))
        {
            return new DeliveryOutcome.Failed("webhook signing secret missing or malformed");
        }
        try
        {
            if (await WebhookTargets.RefusalAsync(url, _options.AllowPrivateNetworkTargets, cancellationToken) is { } refusal)
            {
                return new DeliveryOutcome.Failed(refusal);
            }
        }
        catch (SocketException e)
        {
            return new DeliveryOutcome.Retry($"webhook host does not resolve ({e.SocketErrorCode})");
        }

        var body = Payload(message);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, MediaTypeNames.Application.Json),
        };
        request.Headers.Add("webhook-id", message.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(message.Secret!, message.Id, timestamp, body));
        return await ChannelHttp.ExchangeAsync(http.CreateClient(HttpClientName), request, "webhook", (response, _) =>
        {
            // The receiver's body is not read: only its status matters.
            var reason = $"webhook answered {ChannelHttp.Status(response)}";
            DeliveryOutcome outcome = response switch
            {
                { IsSuccessStatusCode: true } => new DeliveryOutcome.Delivered(),
                { StatusCode: HttpStatusCode.Gone } => new DeliveryOutcome.AddressGone(reason),
                { StatusCode: >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest } => new DeliveryOutcome.Failed(reason + "; redirects are not followed"),
                _ when ChannelHttp.IsTransient(response.StatusCode) => new DeliveryOutcome.Retry(reason, ChannelHttp.RetryAfter(response, time)),
                _ => new DeliveryOutcome.Failed(reason),
            };
            return Task.FromResult(outcome);
        }, cancellationToken);
    }
}
