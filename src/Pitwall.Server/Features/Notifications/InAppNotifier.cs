using System.Data.Common;
using Pitwall.Server.Data;
using Pitwall.Server.Features.LiveEvents;

namespace Pitwall.Server.Features.Notifications;

/// <summary>The in-app channel: a <c>vehicle.notification</c> event on the users' live event stream, once committed.</summary>
public sealed class InAppNotifier(LiveEventHub hub) : INotifier
{
    public Task NotifyAsync(DbConnection connection, DbTransaction transaction, Notification notification)
    {
        Database.AfterCommit(transaction, () => hub.Publish(new LiveEvent(notification.Vin, "vehicle.notification",
            new { vin = notification.Vin, type = notification.Type, message = notification.Message }, notification.At)));
        return Task.CompletedTask;
    }
}
