using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications.Channels;
using Pitwall.Server.Features.Privacy.Processors;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>Messages as the delivery pipeline makes them: everything offered to the processor gateway, which releases what
/// the processor may receive (a channel accepts nothing else).</summary>
internal static class TestMessages
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddLogging().AddProcessorGateway().BuildServiceProvider();

    public static ProcessorGateway Gateway => Services.GetRequiredService<ProcessorGateway>();

    public static OutgoingMessage For(
        Processor processor, string id, string type, string title, string body, DateTimeOffset at, string address,
        string? platform = null, string? secret = null, string? vin = TestKeys.Vin)
    {
        var addressElement =
            processor == NotificationProcessors.Fcm || processor == NotificationProcessors.Apns ? DataElement.DeviceToken
            : processor == NotificationProcessors.SmsGateway ? DataElement.PhoneNumber
            : processor == NotificationProcessors.EmailRelay ? DataElement.EmailAddress
            : DataElement.WebhookUrl;
        return new OutgoingMessage(Gateway.Release(processor, new OutboundData
        {
            { DataElement.MessageId, id },
            { DataElement.NotificationType, type },
            { DataElement.Title, title },
            { DataElement.Text, body },
            { DataElement.Time, at },
            { DataElement.Vin, vin },
            { addressElement, address },
        }), platform, secret);
    }
}
