namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// One way out of the platform (push, SMS, e-mail, webhook). The delivery pipeline calls it for one message at a time,
/// retries what it asks to retry with back-off, and records the outcome; a channel never throws for a peer's failure.
/// </summary>
public interface INotificationChannel
{
    /// <summary>A <see cref="NotificationChannels"/> name: push, sms, email or webhook.</summary>
    string Name { get; }

    /// <summary>False when the operator has not configured the provider; deliveries are then recorded as skipped.</summary>
    bool IsConfigured { get; }

    Task<DeliveryOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

/// <summary>What a channel sends. Only what the provider needs (P4): no VIN, name or position in push, SMS or e-mail.</summary>
/// <param name="Id">Stable per delivery; sent as the provider's idempotency or message id (webhook-id, apns-id, Message-ID)
/// so that a resend after a crash can be recognised by the receiver.</param>
/// <param name="Address">Device token (push), phone number in E.164 (sms), e-mail address, or webhook URL.</param>
/// <param name="Platform">For push: <c>fcm</c> or <c>apns</c>.</param>
/// <param name="Secret">For webhooks: the subscription's signing secret (<c>whsec_…</c>).</param>
/// <param name="Vin">For webhooks only: the account's own integration may know which car.</param>
public sealed record OutgoingMessage(
    string Id,
    string Type,
    string Title,
    string Body,
    DateTimeOffset At,
    string Address,
    string? Platform = null,
    string? Secret = null,
    string? Vin = null);

/// <summary>A channel's answer for one message.</summary>
public abstract record DeliveryOutcome
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
