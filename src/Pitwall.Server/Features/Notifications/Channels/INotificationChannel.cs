using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Privacy.Processors;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// One way out of the platform (push, SMS, e-mail, webhook). The delivery pipeline calls it for one message at a time,
/// retries what it asks to retry with back-off, and records the outcome; a channel never throws for a peer's failure.
/// </summary>
internal interface INotificationChannel
{
    /// <summary>A <see cref="NotificationChannels"/> name: push, sms, email or webhook.</summary>
    string Name { get; }

    /// <summary>False when the operator has not configured the provider; deliveries are then recorded as skipped.</summary>
    bool IsConfigured { get; }

    Task<DeliveryOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// What a channel sends: built only from what the processor gateway released for the channel's processor (P4), so a
/// channel has nothing else to send. Push, SMS and e-mail get no VIN, name or position; the account's own webhooks get the VIN.
/// </summary>
internal sealed class OutgoingMessage
{
    /// <param name="released">What <see cref="ProcessorGateway.Release"/> let through for the processor.</param>
    /// <param name="platform">For push: <c>fcm</c> or <c>apns</c>, which picks the provider (not sent).</param>
    /// <param name="secret">For webhooks: the subscription's signing secret (<c>whsec_…</c>), which signs the request and is
    /// never sent.</param>
    public OutgoingMessage(ProcessorGateway.ReleasedData released, string? platform = null, string? secret = null)
    {
        Released = released;
        Platform = platform;
        Secret = secret;
    }

    public ProcessorGateway.ReleasedData Released { get; }

    /// <summary>The processor the data was released for; each channel sends only what was released for its own.</summary>
    public Processor Processor => Released.Processor;

    /// <summary>Stable per delivery; sent as the provider's idempotency or message id (webhook-id, apns-id, Message-ID) so
    /// that a resend after a crash can be recognised by the receiver.</summary>
    public string Id => Released[DataElement.MessageId] ?? "";

    public string Type => Released[DataElement.NotificationType] ?? "";

    public string Title => Released[DataElement.Title] ?? "";

    public string Body => Released[DataElement.Text] ?? "";

    public DateTimeOffset? At => Released.TimeOf(DataElement.Time);

    /// <summary>Device token (push), phone number in E.164 (sms), e-mail address, or webhook URL.</summary>
    public string Address =>
        Released[DataElement.DeviceToken] ?? Released[DataElement.PhoneNumber] ?? Released[DataElement.EmailAddress] ?? Released[DataElement.WebhookUrl] ?? "";

    public string? Platform { get; }

    public string? Secret { get; }

    /// <summary>Only where the processor may receive it: the account's own webhooks.</summary>
    public string? Vin => Released[DataElement.Vin];

    /// <summary>Whether this message was released for <paramref name="processor"/>; a channel refuses one released for another.</summary>
    public bool IsFor(Processor processor) => Released.IsFor(processor);
}

/// <summary>A channel's answer for one message.</summary>
internal abstract record DeliveryOutcome
{
    private DeliveryOutcome() { }

    /// <param name="ProviderId">The provider's id for the message, when it gives one.</param>
    public sealed record Delivered(string? ProviderId = null) : DeliveryOutcome;

    /// <summary>A temporary failure (timeout, 429, 5xx): try again later, after <paramref name="After"/> when the peer said so.</summary>
    public sealed record Retry(string Reason, TimeSpan? After = null) : DeliveryOutcome;

    /// <summary>A permanent failure (bad request, rejected address): do not try again.</summary>
    public sealed record Failed(string Reason) : DeliveryOutcome;

    /// <summary>The address no longer exists (push token unregistered): stop using it.</summary>
    public sealed record AddressGone(string Reason) : DeliveryOutcome;
}
