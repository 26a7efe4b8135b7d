using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Gateway;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.VehicleAlarm;

/// <summary>
/// Stores the car's anti-theft alarms and tells its users (D1). Nothing is kept in private mode or with the service
/// switched off; with location services off the alarm is kept without its position.
/// </summary>
internal sealed class AlarmEventHandler(INotifier notifier, LiveEventHub hub, UsageStatistics.UsageStatistics usage, Privacy.IServiceAccess access)
    : IVehicleMessageHandler
{
    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.AlarmEvent;

    public static string ReasonOf(AlarmEvent.Types.Reason reason) => reason switch
    {
        AlarmEvent.Types.Reason.Door => "door",
        AlarmEvent.Types.Reason.Hood => "hood",
        AlarmEvent.Types.Reason.Trunk => "trunk",
        AlarmEvent.Types.Reason.InteriorMotion => "interior_motion",
        AlarmEvent.Types.Reason.TiltTow => "tilt_tow",
        AlarmEvent.Types.Reason.Glass => "glass",
        AlarmEvent.Types.Reason.PowerCut => "power_cut",
        AlarmEvent.Types.Reason.Ignition => "ignition",
        _ => "unknown",
    };

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            if (!access.ForCarData(ServiceIds.VehicleAlarm, message.Privacy).Allowed)
            {
                continue;
            }
            var alarm = message.Envelope.AlarmEvent;
            var reason = ReasonOf(alarm.Reason);
            var occurredAt = alarm.OccurredAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(alarm.OccurredAtMs) : message.ReceivedAt;
            var position = access.KeepsLocation(ServiceIds.VehicleAlarm, message.Privacy) ? Fix.From(alarm.Position) : null;
            var record = new AlarmRecord(Guid.NewGuid().ToString("N"), reason, occurredAt, position);
            await VehicleAlarmStore.AddAsync(connection, transaction, message.Vin, record, message.ReceivedAt);
            await notifier.NotifyAsync(connection, transaction, new Notification(
                message.Vin, AlarmNotifications.AlarmTriggered.Id, NotificationText.Of(AlarmNotifications.Triggered, ("cause", $"notification:alarm.cause.{reason}")), occurredAt, $"alarm:{message.Seq}"));
            var vin = message.Vin;
            Database.AfterCommit(transaction, () =>
            {
                hub.Publish(new LiveEvent(vin, "vehicle.alarm", new { vin, alarm = AlarmResponse.From(record) }, occurredAt));
                usage.Record(ServiceIds.VehicleAlarm, UsageStatistics.UsageChannel.Car);
            });
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        // Each stored alarm publishes after its own commit (Database.AfterCommit); nothing else to do.
    }
}
