using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.ValetAlarm;

/// <summary>
/// Stores what the car reports about a valet activation and tells its users (D3): the limits exceeded (push and SMS by
/// default) and the end. Nothing is kept in private mode or with the location services or the valet alarm switched off,
/// nor for an activation the platform does not know.
/// </summary>
internal sealed class ValetEventHandler(INotifier notifier, LiveEventHub hub, UsageStatistics.UsageStatistics usage, Privacy.IServiceAccess access)
    : IVehicleMessageHandler
{
    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.ValetEvent;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            var e = message.Envelope.ValetEvent;
            if (!access.ForCarData(ServiceIds.ValetAlarm, message.Privacy).Allowed ||
                e.Kind == ValetEvent.Types.Kind.Unspecified || !await ValetStore.ExistsAsync(connection, transaction, message.Vin, e.ValetId))
            {
                continue;
            }
            var at = e.OccurredAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs) : message.ReceivedAt;
            var position = Fix.From(e.Position);
            var speed = double.IsFinite(e.SpeedMps) && e.SpeedMps >= 0 ? e.SpeedMps : (double?)null;
            var record = new ValetEventRecord(Guid.NewGuid().ToString("N"), e.ValetId, KindOf(e.Kind), at, position, speed);
            await ValetStore.AddEventAsync(connection, transaction, message.Vin, record, message.ReceivedAt);
            switch (e.Kind)
            {
                case ValetEvent.Types.Kind.Started:
                    await ValetStore.StartedAsync(connection, transaction, e.ValetId, at, position);
                    break;
                case ValetEvent.Types.Kind.SpeedExceeded:
                    await NotifyAsync(ValetNotifications.ValetSpeedExceeded,
                        NotificationText.Of(ValetNotifications.SpeedExceeded, ("speedKmh", Math.Round((speed ?? 0) * 3.6))));
                    break;
                case ValetEvent.Types.Kind.RadiusExceeded:
                    await NotifyAsync(ValetNotifications.ValetRadiusExceeded, NotificationText.Of(ValetNotifications.RadiusExceeded));
                    break;
                case ValetEvent.Types.Kind.Ended:
                    await ValetStore.EndedAsync(connection, transaction, e.ValetId, at);
                    await NotifyAsync(ValetNotifications.ValetEnded, NotificationText.Of(ValetNotifications.Ended));
                    break;
            }
            var vin = message.Vin;
            Database.AfterCommit(transaction, () =>
            {
                hub.Publish(new LiveEvent(vin, "vehicle.valet", new { vin, @event = ValetEventResponse.From(record) }, at));
                usage.Record(ServiceIds.ValetAlarm, UsageStatistics.UsageChannel.Car);
            });

            Task NotifyAsync(NotificationType type, NotificationText text) =>
                notifier.NotifyAsync(connection, transaction, new Notification(message.Vin, type.Id, text, at, $"valet:{message.Seq}"));
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        // Each stored event publishes after its own commit (Database.AfterCommit); nothing else to do.
    }

    private static string KindOf(ValetEvent.Types.Kind kind) => kind switch
    {
        ValetEvent.Types.Kind.Started => "started",
        ValetEvent.Types.Kind.SpeedExceeded => "speed_exceeded",
        ValetEvent.Types.Kind.RadiusExceeded => "radius_exceeded",
        _ => "ended",
    };
}
