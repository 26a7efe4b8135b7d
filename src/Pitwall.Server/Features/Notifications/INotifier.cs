using System.Data.Common;

namespace Pitwall.Server.Features.Notifications;

/// <summary>Something the users of a vehicle must hear about, e.g. a charging error the driver has to fix.</summary>
/// <param name="Type">The id of a registered <see cref="NotificationType"/> (<see cref="INotificationTypes"/>), e.g. <c>charging.error</c>; users choose channels per type.</param>
/// <param name="Text">A short sentence for the user (no VIN, no position, no name): a template of the sending feature and its
/// arguments, rendered in each reader's language and time zone.</param>
/// <param name="Key">Makes the notification unique per vehicle (e.g. the car message's seq): queuing the same key twice
/// queues it once, so a car's resent message never notifies twice.</param>
public sealed record Notification(string Vin, string Type, NotificationText Text, DateTimeOffset At, string Key);

/// <summary>
/// Delivers notifications to a vehicle's users. Features call this and nothing else; the channels behind it (in-app
/// inbox and live events, push, SMS, e-mail, webhooks) are this feature's business.
/// </summary>
public interface INotifier
{
    /// <summary>
    /// Queues the notification for every user of the vehicle in the caller's transaction (a transactional outbox): it
    /// is delivered after commit, on each channel the user chose, and never when the transaction rolls back.
    /// </summary>
    Task NotifyAsync(DbConnection connection, DbTransaction transaction, Notification notification);

    /// <summary>
    /// As <see cref="NotifyAsync"/> for one account only, whether or not it still uses the vehicle: what concerns a
    /// buyer or a former owner (e.g. their package stopped renewing because the car left their account).
    /// </summary>
    Task NotifyAccountAsync(DbConnection connection, DbTransaction transaction, string accountId, Notification notification);
}
