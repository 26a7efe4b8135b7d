using Microsoft.Extensions.Options;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Notifications.Channels;
using Pitwall.Server.Features.Privacy.Processors;

namespace Pitwall.Server.Features.Notifications;

/// <summary>
/// Sends the queued deliveries: one loop per channel, so a slow or failing channel never holds up the others. A delivery
/// is claimed before it is sent; what the channel answers is recorded (delivered, retried with back-off, failed, or
/// skipped when there is nowhere to send it). A send in flight at shutdown is finished and recorded, so a restart does
/// not send it again; after a crash the claim runs out and it is sent once more under the same id, which receivers
/// use to recognise it. Each recorded outcome is told to the account live (<c>notification.delivery</c>).
/// </summary>
internal sealed partial class NotificationSenders(
    NotificationStore store,
    IAccountDirectory accounts,
    IEnumerable<INotificationChannel> channels,
    INotificationTypes types,
    NotificationRenderer renderer,
    ProcessorGateway gateway,
    LiveEventHub hub,
    IOptions<NotificationsOptions> options,
    TimeProvider time,
    ILogger<NotificationSenders> logger) : BackgroundService
{
    private static readonly string[] SentChannels = [.. NotificationChannels.All.Where(c => c != NotificationChannels.InApp)];
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, SemaphoreSlim> _signals = SentChannels.ToDictionary(c => c, _ => new SemaphoreSlim(0, 1), StringComparer.Ordinal);

    /// <summary>Something was queued: look now rather than at the next poll.</summary>
    public void Wake()
    {
        foreach (var signal in _signals.Values)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // already awake
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SentChannels.Select(channel => Task.Run(() => RunAsync(channel, stoppingToken), CancellationToken.None)));

    private async Task RunAsync(string channel, CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                var batch = await store.ClaimDueAsync(channel, now, now + o.SendTimeout * 2, o.ParallelSendsPerChannel * 4, stoppingToken);
                if (batch.Count > 0)
                {
                    // Not cancelled by shutdown: each send ends within its timeout and its outcome is recorded.
                    await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = o.ParallelSendsPerChannel },
                        async (delivery, _) => await SendAsync(channel, delivery));
                    continue;
                }
                var next = await store.NextDueAsync(channel, stoppingToken);
                // Measured from now, not from before the queries: time may have moved meanwhile.
                var wait = next is { } due ? due - time.GetUtcNow() : o.PollInterval;
                await WaitAsync(channel, wait < TimeSpan.Zero ? TimeSpan.Zero : wait > o.PollInterval ? o.PollInterval : wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(logger, e, channel);
                await WaitAsync(channel, o.PollInterval, stoppingToken);
            }
        }
    }

    private async Task WaitAsync(string channel, TimeSpan wait, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var woken = _signals[channel].WaitAsync(cts.Token);
        var timer = Task.Delay(wait, time, cts.Token);
        await Task.WhenAny(woken, timer);
        await cts.CancelAsync();
        try
        {
            await Task.WhenAll(woken, timer);
        }
        catch (OperationCanceledException)
        {
            // the other one
        }
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task SendAsync(string channelName, ClaimedDelivery delivery)
    {
        var (state, reason) = await SendAndRecordAsync(channelName, delivery);
        // After the record is durable, so whoever hears it reads the same state back.
        hub.Publish(new LiveEvent(delivery.Vin, "notification.delivery",
            new { notificationId = delivery.NotificationId, channel = channelName, state, reason }, time.GetUtcNow(), delivery.AccountId));
    }

    /// <returns>The delivery's state now (delivered, pending for a retry, failed or skipped) and why, when not delivered.</returns>
    private async Task<(string State, string? Reason)> SendAndRecordAsync(string channelName, ClaimedDelivery delivery)
    {
        var o = options.Value;
        if (!_channels.TryGetValue(channelName, out var channel) || !channel.IsConfigured)
        {
            await store.EndAsync(delivery.Id, "skipped", "channel_not_configured", CancellationToken.None);
            return ("skipped", "channel_not_configured");
        }
        var (message, skipped) = await ResolveAsync(delivery);
        if (message is null)
        {
            await store.EndAsync(delivery.Id, "skipped", skipped!, CancellationToken.None);
            return ("skipped", skipped);
        }
        DeliveryOutcome outcome;
        using (var timeout = new CancellationTokenSource(o.SendTimeout, time))
        {
            try
            {
                outcome = await channel.SendAsync(message, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                outcome = new DeliveryOutcome.Retry("timeout");
            }
            catch (Exception e)
            {
                LogChannelFailed(logger, e, channelName);
                outcome = new DeliveryOutcome.Retry("channel_error");
            }
        }
        var now = time.GetUtcNow();
        switch (outcome)
        {
            case DeliveryOutcome.Delivered:
                await store.DeliveredAsync(delivery.Id, now, CancellationToken.None);
                return ("delivered", null);
            case DeliveryOutcome.Retry retry when delivery.Attempts >= o.MaxAttempts:
                var gaveUp = $"gave up after {delivery.Attempts} attempts: {retry.Reason}";
                await store.EndAsync(delivery.Id, "failed", gaveUp, CancellationToken.None);
                return ("failed", gaveUp);
            case DeliveryOutcome.Retry retry:
                var backoff = o.FirstBackoff * Math.Pow(2, Math.Min(delivery.Attempts - 1, 20));
                backoff = backoff > o.MaxBackoff ? o.MaxBackoff : backoff;
                await store.RetryAtAsync(delivery.Id, now + (retry.After > backoff ? retry.After.Value : backoff), retry.Reason, CancellationToken.None);
                return ("pending", retry.Reason);
            case DeliveryOutcome.Failed failed:
                await store.EndAsync(delivery.Id, "failed", failed.Reason, CancellationToken.None);
                return ("failed", failed.Reason);
            case DeliveryOutcome.AddressGone gone:
                await store.EndAsync(delivery.Id, "failed", gone.Reason, CancellationToken.None);
                await ForgetTargetAsync(delivery.Target);
                return ("failed", gone.Reason);
            default:
                throw new InvalidOperationException($"Unknown delivery outcome {outcome.GetType().Name}.");
        }
    }

    /// <summary>
    /// The address is read when sending, so a changed e-mail, phone or removed device counts, not the one at queuing.
    /// Everything the delivery has (the VIN included) is offered to the processor gateway, which releases what the
    /// target's processor may receive (P4); the channel gets only that. The words are the account's language and its times in
    /// its time zone.
    /// </summary>
    private async Task<(OutgoingMessage? Message, string? Skipped)> ResolveAsync(ClaimedDelivery d)
    {
        var account = await accounts.FindAsync(d.AccountId, CancellationToken.None);
        var reader = NotificationReader.Of(account);
        var title = renderer.Title(types.Find(d.Type), d.Type, reader);
        var text = renderer.Render(d.Template, d.Args, d.Message, reader);
        OutgoingMessage Message(Processor processor, DataElement addressElement, string address, string? platform = null, string? secret = null) =>
            new(gateway.Release(processor, new OutboundData
            {
                { DataElement.MessageId, d.Id },
                { DataElement.NotificationType, d.Type },
                { DataElement.Title, title },
                { DataElement.Text, text },
                { DataElement.Time, d.CreatedAt },
                { DataElement.Vin, d.Vin },
                { addressElement, address },
            }), platform, secret);

        var (kind, id) = DeliveryTarget.Parse(d.Target);
        switch (kind)
        {
            case "device":
                if (await store.DeviceAsync(d.AccountId, id, CancellationToken.None) is not { } device)
                {
                    return (null, "device_removed");
                }
                return PushProcessor(device.Platform) is { } push
                    ? (Message(push, DataElement.DeviceToken, device.Token, device.Platform), null)
                    : (null, "unknown_push_platform");
            case "webhook":
                return await store.WebhookAsync(d.AccountId, id, CancellationToken.None) is { Active: true } webhook
                    ? (Message(NotificationProcessors.WebhookReceivers, DataElement.WebhookUrl, webhook.Url, secret: webhook.Secret), null)
                    : (null, "webhook_removed");
            case "phone":
                return account is { PhoneNumbers: [var phone, ..] }
                    ? (Message(NotificationProcessors.SmsGateway, DataElement.PhoneNumber, phone), null)
                    : (null, "no_phone_number");
            case "email":
                return account is not null
                    ? (Message(NotificationProcessors.EmailRelay, DataElement.EmailAddress, account.Email), null)
                    : (null, "account_deleted");
            default:
                return (null, "unknown_target");
        }
    }

    private static Processor? PushProcessor(string? platform) => platform?.ToLowerInvariant() switch
    {
        PushPlatforms.Fcm => NotificationProcessors.Fcm,
        PushPlatforms.Apns => NotificationProcessors.Apns,
        _ => null,
    };

    private Task ForgetTargetAsync(string target) => DeliveryTarget.Parse(target) switch
    {
        { Kind: "device", Id: var device } => store.ForgetDeviceAsync(device, CancellationToken.None),
        { Kind: "webhook", Id: var webhook } => store.DeactivateWebhookAsync(webhook, CancellationToken.None),
        _ => Task.CompletedTask,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification sender for {Channel} failed; it tries again at the next poll")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification channel {Channel} threw; the delivery is retried")]
    private static partial void LogChannelFailed(ILogger logger, Exception exception, string channel);
}
