namespace Pitwall.Server.Features.Notifications;

/// <summary>Something the users of a vehicle must hear about, e.g. a charging error the driver has to fix.</summary>
/// <param name="Type">Stable event type, e.g. <c>charging.error</c>; users choose channels per type.</param>
/// <param name="Message">A short English sentence for the user (no VIN, no position).</param>
public sealed record Notification(string Vin, string Type, string Message, DateTimeOffset At);

/// <summary>
/// Delivers notifications to a vehicle's users. Features call this and nothing else; the channels behind it (in-app
/// now; push, SMS, e-mail and webhooks with the notification pipeline) are this feature's business.
/// </summary>
public interface INotifier
{
    void Notify(Notification notification);
}
