using Pitwall.Server.Features.LiveEvents;

namespace Pitwall.Server.Features.Notifications;

/// <summary>The in-app channel: a <c>vehicle.notification</c> event on the users' live event stream.</summary>
public sealed class InAppNotifier(LiveEventHub hub) : INotifier
{
    public void Notify(Notification notification) =>
        hub.Publish(new LiveEvent(notification.Vin, "vehicle.notification",
            new { vin = notification.Vin, type = notification.Type, message = notification.Message }, notification.At));
}
