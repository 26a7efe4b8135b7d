namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>The channels' log lines: channel, outcome and a provider's status or error code; never an address, a device
/// token, a phone number, a URL, a VIN or a message text.</summary>
internal static partial class ChannelLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification {MessageId} delivered on {Channel}")]
    public static partial void Delivered(ILogger logger, string messageId, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {MessageId} not delivered on {Channel}: {Outcome} ({Reason})")]
    public static partial void NotDelivered(ILogger logger, string messageId, string channel, string outcome, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} refused the platform's credentials ({Reason}); check the configuration")]
    public static partial void CredentialsRefused(ILogger logger, string provider, string reason);

    public static DeliveryOutcome Record(ILogger logger, string channel, string messageId, DeliveryOutcome outcome)
    {
        switch (outcome)
        {
            case DeliveryOutcome.Delivered:
                Delivered(logger, messageId, channel);
                break;
            case DeliveryOutcome.Retry retry:
                NotDelivered(logger, messageId, channel, "retry", retry.Reason);
                break;
            case DeliveryOutcome.Failed failed:
                NotDelivered(logger, messageId, channel, "failed", failed.Reason);
                break;
            case DeliveryOutcome.AddressGone gone:
                NotDelivered(logger, messageId, channel, "address_gone", gone.Reason);
                break;
        }
        return outcome;
    }
}
