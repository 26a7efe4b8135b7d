using System.Data.Common;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.Notifications;

/// <summary>
/// The notifier features call: in the caller's transaction it writes the notification into each user's inbox and queues
/// one delivery per channel the user chose (the outbox). After commit the users' apps hear of it live, and the senders
/// wake up. A key seen before for the vehicle queues nothing, so a resent car message never notifies twice. Deliveries are
/// due by the platform's clock (and its quiet hours), not by the event's time: a car whose clock runs ahead must not
/// hold its owner's notifications back.
/// </summary>
internal sealed class NotificationOutbox(
    IVehicleAccess vehicles, INotificationTypes types, NotificationTemplates templates, NotificationRenderer renderer, IAccountDirectory accounts,
    NotificationSenders senders, LiveEventHub hub, TimeProvider time, IAppGrants grants) : INotifier
{
    public async Task NotifyAsync(DbConnection connection, DbTransaction transaction, Notification notification)
    {
        var type = TypeOf(notification);
        foreach (var accountId in await vehicles.UsersOfAsync(connection, transaction, notification.Vin))
        {
            await QueueAsync(connection, transaction, accountId, type, notification);
        }
        Database.AfterCommit(transaction, senders.Wake);
    }

    public async Task NotifyAccountAsync(DbConnection connection, DbTransaction transaction, string accountId, Notification notification)
    {
        await QueueAsync(connection, transaction, accountId, TypeOf(notification), notification);
        Database.AfterCommit(transaction, senders.Wake);
    }

    private NotificationType TypeOf(Notification notification)
    {
        var type = types.Find(notification.Type)
            ?? throw new ArgumentException($"Unknown notification type '{notification.Type}'; register it in its feature's module (AddNotificationTypes).", nameof(notification));
        if (notification.Text.Template.Length > 0 && !templates.Keys.Contains(notification.Text.Template))
        {
            throw new ArgumentException(
                $"Unknown notification template '{notification.Text.Template}'; register it in its feature's module (AddNotificationTemplates).", nameof(notification));
        }
        return type;
    }

    private async Task QueueAsync(DbConnection connection, DbTransaction transaction, string accountId, NotificationType type, Notification notification)
    {
        var id = Guid.NewGuid().ToString("N");
        if (!await NotificationStore.AddToInboxAsync(connection, transaction, id, accountId, notification, renderer.Render(notification.Text, NotificationReader.English)))
        {
            return; // already notified for this key
        }
        var choices = await NotificationStore.ChoicesAsync(connection, transaction, accountId, type);
        if (choices.Webhooks.Any(w => w.ClientId is not null))
        {
            // A third-party app's webhook gets only what the owner's consent gives the app: this car, and the type's scope for it.
            var allowed = new List<(string Id, string Types, string? ClientId)>();
            foreach (var webhook in choices.Webhooks)
            {
                if (webhook.ClientId is null || (type.AppScope is { } scope && notification.Vin is { Length: > 0 } vin
                    && await grants.CoversAsync(connection, transaction, accountId, webhook.ClientId, vin, scope)))
                {
                    allowed.Add(webhook);
                }
            }
            choices = choices with { Webhooks = allowed };
        }
        var now = time.GetUtcNow();
        var sendAt = type.Urgent || choices.QuietHours is null ? now : choices.QuietHours.EndOf(now);
        foreach (var (channel, target) in choices.Targets())
        {
            var at = channel == NotificationChannels.Webhook ? now : sendAt; // machines have no night
            await NotificationStore.QueueDeliveryAsync(connection, transaction, id, channel, target, at);
        }
        // The apps show it as it comes, in the account's language and time zone.
        var reader = NotificationReader.Of(await accounts.FindAsync(accountId, CancellationToken.None));
        var liveEvent = new LiveEvent(notification.Vin, "vehicle.notification", new
        {
            id, vin = notification.Vin, type = type.Id, title = renderer.Title(type, type.Id, reader), message = renderer.Render(notification.Text, reader),
            template = notification.Text.Template.Length == 0 ? null : notification.Text.Template,
        }, notification.At, accountId);
        Database.AfterCommit(transaction, () => hub.Publish(liveEvent));
    }
}
