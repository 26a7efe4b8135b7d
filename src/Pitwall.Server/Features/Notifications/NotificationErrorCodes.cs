namespace Pitwall.Server.Features.Notifications;

/// <summary>The stable problem codes of notification settings (clients switch on these; never rename one).</summary>
internal static class NotificationErrorCodes
{
    public const string DeviceLimit = "device_limit";
    public const string WebhookLimit = "webhook_limit";
}
