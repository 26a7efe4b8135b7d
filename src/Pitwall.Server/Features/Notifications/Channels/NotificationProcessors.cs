using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// The processors the notification channels hand data to (P4), for the data categories of notification deliveries.
/// Each gets only what its service needs: push, SMS and e-mail carry no VIN, name or position.
/// </summary>
public static class NotificationProcessors
{
    public static readonly Processor Fcm = new("Google Firebase Cloud Messaging",
        "push notifications to Android (and Firebase) apps: device token, title and text, notification id and type", true);

    public static readonly Processor Apns = new("Apple Push Notification service",
        "push notifications to iOS apps: device token, title and text, notification id and type", true);

    public static readonly Processor SmsGateway = new("SMS gateway (as configured by the operator)",
        "text messages: phone number, title and text, notification id", true);

    public static readonly Processor EmailRelay = new("E-mail relay (as configured by the operator)",
        "e-mail notifications: e-mail address, title and text", true);

    public static readonly Processor WebhookReceivers = new("The account's own webhook receivers",
        "webhooks the user set up: notification id, type, title, text, time and VIN", true);

    public static readonly IReadOnlyList<Processor> All = [Fcm, Apns, SmsGateway, EmailRelay, WebhookReceivers];
}
