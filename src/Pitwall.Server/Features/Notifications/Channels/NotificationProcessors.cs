using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// The processors the notification channels hand data to (P4), for the data categories of notification deliveries. Their
/// elements are the rule: every message passes the processor gateway, which drops what is not declared here and redacts
/// VINs and coordinates from the title and text of those that may receive neither. Push, SMS and e-mail get no VIN, name
/// or position; the account's own webhooks get the VIN.
/// </summary>
internal static class NotificationProcessors
{
    public static readonly Processor Fcm = new("Google Firebase Cloud Messaging",
        "push notifications to Android (and Firebase) apps", true,
        DataElement.DeviceToken, DataElement.Title, DataElement.Text, DataElement.MessageId, DataElement.NotificationType);

    public static readonly Processor Apns = new("Apple Push Notification service",
        "push notifications to iOS apps", true,
        DataElement.DeviceToken, DataElement.Title, DataElement.Text, DataElement.MessageId, DataElement.NotificationType);

    public static readonly Processor SmsGateway = new("SMS gateway (as configured by the operator)",
        "text messages", true,
        DataElement.PhoneNumber, DataElement.Title, DataElement.Text, DataElement.MessageId);

    public static readonly Processor EmailRelay = new("E-mail relay (as configured by the operator)",
        "e-mail notifications", true,
        DataElement.EmailAddress, DataElement.Title, DataElement.Text, DataElement.MessageId);

    public static readonly Processor WebhookReceivers = new("The account's own webhook receivers",
        "webhooks the user set up", true,
        DataElement.WebhookUrl, DataElement.MessageId, DataElement.NotificationType, DataElement.Title, DataElement.Text, DataElement.Time,
        DataElement.Vin);

    public static readonly IReadOnlyList<Processor> All = [Fcm, Apns, SmsGateway, EmailRelay, WebhookReceivers];
}
