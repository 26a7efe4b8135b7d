namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>The <c>push</c> channel: hands each message to the provider of its device token's platform (FCM or APNs).</summary>
internal sealed class PushChannel(IEnumerable<IPushProvider> providers, ILogger<PushChannel> logger) : INotificationChannel
{
    private readonly IReadOnlyList<IPushProvider> _providers = providers.ToList();

    public string Name => NotificationChannels.Push;

    public bool IsConfigured => _providers.Any(p => p.IsConfigured);

    public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var provider = _providers.FirstOrDefault(p => string.Equals(p.Platform, message.Platform, StringComparison.OrdinalIgnoreCase));
        DeliveryOutcome outcome = provider switch
        {
            null => new DeliveryOutcome.Failed("unknown push platform"),
            { IsConfigured: false } => new DeliveryOutcome.Failed($"{provider.Platform} push is not configured"),
            _ => await provider.SendAsync(message, cancellationToken),
        };
        return ChannelLog.Record(logger, Name, message.Id, outcome);
    }
}
