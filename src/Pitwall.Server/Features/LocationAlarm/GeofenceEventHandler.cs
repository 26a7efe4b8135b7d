using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.LocationAlarm;

/// <summary>
/// Stores the car's geofence crossings (D2) in the ingest transaction and tells the vehicle's users. Nothing is kept in
/// private mode, with location services or the location alarm switched off, or without the package. As a defence against
/// a faulty car the server applies the jitter rules again: an event for an unknown area, with a fix of poor or unknown
/// accuracy, or whose fix contradicts the crossing (entered outside the exit radius, exited inside the radius) is dropped.
/// </summary>
internal sealed partial class GeofenceEventHandler(
    INotifier notifier, LiveEventHub hub, IEntitlements entitlements, UsageStatistics.UsageStatistics usage, Privacy.IServiceAccess access,
    ILogger<GeofenceEventHandler> logger)
    : IVehicleMessageHandler
{
    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.GeofenceEvent;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            var (record, area, dropped) = await AcceptAsync(connection, transaction, message);
            if (dropped is not null)
            {
                LogDropped(logger, LogRef.Vehicle(message.Vin), dropped);
                continue;
            }
            if (!await GeofenceStore.InsertEventAsync(connection, transaction, record!))
            {
                continue; // stored before
            }
            if (Notifies(area!, record!))
            {
                var type = record!.Transition == GeofenceRules.Entered ? GeofenceNotifications.GeofenceEntered : GeofenceNotifications.GeofenceExited;
                var text = NotificationText.Of(
                    record.Transition == GeofenceRules.Entered ? GeofenceNotifications.Entered : GeofenceNotifications.Exited, ("area", record.Name));
                await notifier.NotifyAsync(connection, transaction, new Notification(message.Vin, type.Id, text, record.OccurredAt, $"{message.Seq}:{type.Id}"));
            }
            var stored = record!;
            Database.AfterCommit(transaction, () =>
            {
                usage.Record(ServiceIds.LocationAlarm, UsageStatistics.UsageChannel.Car);
                hub.Publish(new LiveEvent(stored.Vin, "vehicle.geofence", new
                {
                    vin = stored.Vin, id = stored.Id, geofenceId = stored.GeofenceId, name = stored.Name, transition = stored.Transition,
                    occurredAt = stored.OccurredAt,
                }, stored.RecordedAt));
            });
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        // Each stored event publishes after its own commit (Database.AfterCommit); nothing else to do.
    }

    /// <returns>The event to store and its area, or why the message is dropped (a short code, for the log).</returns>
    private async Task<(GeofenceEventRecord? Record, Geofence? Area, string? Dropped)> AcceptAsync(DbConnection c, DbTransaction t, InboundMessage message)
    {
        var e = message.Envelope.GeofenceEvent;
        if (access.ForCarData(ServiceIds.LocationAlarm, message.Privacy).Code is { } withheld)
        {
            return (null, null, withheld);
        }
        var transition = e.Transition switch
        {
            GeofenceEvent.Types.Transition.Entered => GeofenceRules.Entered,
            GeofenceEvent.Types.Transition.Exited => GeofenceRules.Exited,
            _ => null,
        };
        if (transition is null || e.Position is not { } fix)
        {
            return (null, null, "malformed");
        }
        if (!(fix.AccuracyM > 0 && fix.AccuracyM <= GeofenceRules.MaxAccuracyMetres) || !fix.IsOnEarth())
        {
            return (null, null, "poor_accuracy");
        }
        if (await GeofenceStore.FindAsync(c, t, message.Vin, e.GeofenceId) is not { } area)
        {
            return (null, null, "unknown_area");
        }
        var distance = GeofenceRules.DistanceMetres(area.Latitude, area.Longitude, fix.Latitude, fix.Longitude);
        if (transition == GeofenceRules.Entered ? distance > GeofenceRules.ExitRadius(area.RadiusMetres) : distance <= area.RadiusMetres)
        {
            return (null, null, "inconsistent_fix");
        }
        if (!await entitlements.IsEntitledAsync(message.Vin, ServiceIds.LocationAlarm, CancellationToken.None))
        {
            return (null, null, "not_entitled");
        }
        var occurredAt = e.OccurredAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs) : message.ReceivedAt;
        return (new GeofenceEventRecord(Guid.CreateVersion7(message.ReceivedAt).ToString(), message.Vin, message.Seq, area.Id, area.Name, transition,
            fix.Latitude, fix.Longitude, fix.AccuracyM, occurredAt, message.ReceivedAt), area, null);
    }

    /// <summary>The area's notify setting and, in its time zone, its active hours.</summary>
    private static bool Notifies(Geofence area, GeofenceEventRecord e)
    {
        var wanted = area.Notify == GeofenceRules.NotifyBoth ||
                     (area.Notify == GeofenceRules.NotifyEnter && e.Transition == GeofenceRules.Entered) ||
                     (area.Notify == GeofenceRules.NotifyExit && e.Transition == GeofenceRules.Exited);
        if (!wanted || area.ActiveHours is not { } hours)
        {
            return wanted;
        }
        try
        {
            return hours.Covers(e.OccurredAt);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return true; // the zone vanished from this machine: better a notification too many than a missed alarm
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Geofence event of {Vehicle} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string vehicle, string reason);
}
