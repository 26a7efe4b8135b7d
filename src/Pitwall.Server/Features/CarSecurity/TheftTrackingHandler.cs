using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>How urgent a case is for the queue (0–100): what set it off, whether the car is moving, whether someone
/// tampers with the antennas; a case the police has is less urgent for the SOC, a closed one not at all.</summary>
internal static class CaseUrgency
{
    public static int Of(string reason, string state, double? speedMps, bool antennaFault)
    {
        if (state == CaseStates.Closed)
        {
            return 0;
        }
        var urgency = reason switch
        {
            TheftReasons.UnauthorisedMovement or TheftReasons.RemoteRequest => 60,
            TheftReasons.Tampering => 50,
            _ => 40,
        };
        urgency += speedMps > 2 ? 25 : 0;
        urgency += antennaFault ? 15 : 0;
        urgency -= state == CaseStates.HandedOver ? 30 : 0;
        return Math.Clamp(urgency, 1, 100);
    }
}

/// <summary>
/// The car's theft tracking (E1, E2) in the ingest transaction: the first message of an incident opens a case (unless its
/// trigger reason was switched off by the owner at the time, or the car has no Car Security), every message is stored in
/// the car's order, the owner is told, and the SOC's consoles hear it live. Theft tracking passes the privacy switches
/// (<see cref="Privacy.ServiceAccess.IsEmergency"/>): the service cannot be switched off as a whole (E1).
/// </summary>
internal sealed partial class TheftTrackingHandler(
    INotifier notifier, SocFeed feed, IEntitlements entitlements, IVehicleDirectory vehicles, ILogger<TheftTrackingHandler> logger) : IVehicleMessageHandler
{
    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.TheftTracking;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            var tracking = message.Envelope.TheftTracking;
            if (tracking.IncidentId is not { Length: > 0 and <= 100 } incident)
            {
                LogDropped(logger, LogRef.Vehicle(message.Vin), "malformed");
                continue;
            }
            var found = await TheftCaseStore.FindByIncidentAsync(connection, transaction, message.Vin, incident);
            if (found is null && await NotCoveredAsync(connection, transaction, message, tracking) is { } notCovered)
            {
                LogDropped(logger, LogRef.Vehicle(message.Vin), notCovered);
                continue;
            }
            if (tracking.Data is null)
            {
                LogDropped(logger, LogRef.Vehicle(message.Vin), "malformed");
                continue;
            }
            var opened = false;
            if (found is null)
            {
                var (created, dropped) = await OpenAsync(connection, transaction, message, tracking);
                if (dropped is not null)
                {
                    LogDropped(logger, LogRef.Vehicle(message.Vin), dropped);
                    continue;
                }
                found = created!;
                opened = true;
            }
            var point = Point(message, tracking);
            if (!await TheftCaseStore.AddTrackingAsync(connection, transaction, found.Id, point))
            {
                continue;
            }
            var antennaFault = point.GsmAntenna is not ("ok" or "unknown") || point.GpsAntenna is not ("ok" or "unknown");
            var updated = found with
            {
                LastTrackedAt = point.RecordedAt,
                LastLatitude = point.Latitude ?? found.LastLatitude,
                LastLongitude = point.Longitude ?? found.LastLongitude,
                LastSpeedMps = point.SpeedMps,
                Urgency = CaseUrgency.Of(found.Reason, found.State, point.SpeedMps, antennaFault),
                TheftModeStartedAt = found.TheftModeStartedAt ?? TimeOr(tracking.TheftModeStartedAtMs, point.RecordedAt),
                TheftModeEndedAt = tracking.Phase == TheftTracking.Types.Phase.Ended ? TimeOr(tracking.TheftModeEndedAtMs, point.RecordedAt) : found.TheftModeEndedAt,
            };
            await TheftCaseStore.TrackedAsync(connection, transaction, updated);
            await TheftCaseStore.CheckedInAsync(connection, transaction, message.Vin, message.ReceivedAt);
            if (tracking.Phase == TheftTracking.Types.Phase.Ended && found.TheftModeEndedAt is null)
            {
                await TheftCaseStore.AuditAsync(connection, transaction, found.Id, Actor.Car, "theft_mode_ended", "The car left theft mode.", message.ReceivedAt);
            }
            var caseId = found.Id;
            Database.AfterCommit(transaction, () =>
            {
                if (opened)
                {
                    feed.Publish(new SocEvent("soc.case_opened", CaseSummaryResponse.From(updated)));
                }
                feed.Publish(new SocEvent("soc.tracking", SocEvents.Tracking(caseId, updated.Vin, point, updated.Urgency), updated.AuthorityAccountId));
            });
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
    }

    /// <summary>
    /// B4: the theft mode of a car without Car Security is noted (start and end, nothing else — no service covers its data),
    /// so that the package cannot be bought for this incident. The end of an incident no case tracks ends such a note.
    /// </summary>
    /// <returns>Why the message opens no case (a short code for the log), or null when it is for Car Security.</returns>
    private async Task<string?> NotCoveredAsync(DbConnection c, DbTransaction t, InboundMessage message, TheftTracking tracking)
    {
        // The platform's clock, not the car's: it is what access and retention count by.
        if (tracking.Phase == TheftTracking.Types.Phase.Ended)
        {
            return await UncoveredThefts.EndedAsync(c, t, message.Vin, tracking.IncidentId, message.ReceivedAt) ? "uncovered_theft_ended" : "end_of_unknown_incident";
        }
        if (tracking.Reason == TheftReason.RemoteRequest)
        {
            return "unknown_requested_incident"; // a requested tracking has its case already
        }
        // An incident that began without the package stays without it, even if the car somehow got the package meanwhile.
        if (!await UncoveredThefts.IsNotedAsync(c, t, message.Vin, tracking.IncidentId) &&
            await entitlements.IsEntitledAsync(message.Vin, ServiceIds.CarSecurity, CancellationToken.None))
        {
            return null;
        }
        await UncoveredThefts.StartedAsync(c, t, message.Vin, tracking.IncidentId, CaseSources.Car, TheftReasons.Of(tracking.Reason), message.ReceivedAt);
        return "uncovered_theft";
    }

    /// <returns>The new case, or why no case opens (a short code for the log).</returns>
    private async Task<(TheftCase? Case, string? Dropped)> OpenAsync(DbConnection c, DbTransaction t, InboundMessage message, TheftTracking tracking)
    {
        var reason = TheftReasons.Of(tracking.Reason);
        var startedAt = TimeOr(tracking.TheftModeStartedAtMs, message.ReceivedAt);
        var (suspended, _) = await TheftCaseStore.SettingsAsync(c, t, message.Vin);
        if (suspended.TryGetValue(reason, out var until) && until > startedAt)
        {
            return (null, "reason_switched_off");
        }
        var owner = await vehicles.PrimaryUserAsync(message.Vin, CancellationToken.None);
        var opened = new TheftCase(Guid.CreateVersion7(message.ReceivedAt).ToString(), message.Vin, tracking.IncidentId, CaseSources.Car, reason, CaseStates.Open,
            null, CaseUrgency.Of(reason, CaseStates.Open, null, false), owner, null, null, null, null, 0, null, message.ReceivedAt, startedAt, null, null, null,
            null, null, null, null);
        await TheftCaseStore.InsertCaseAsync(c, t, opened);
        await TheftCaseStore.AuditAsync(c, t, opened.Id, Actor.Car, "opened", $"The car entered theft mode ({reason}).", message.ReceivedAt);
        await notifier.NotifyAsync(c, t, new Notification(message.Vin, TheftNotifications.TheftCaseOpened.Id,
            NotificationText.Of(TheftNotifications.ReportedByCar), message.ReceivedAt, $"theft:{opened.Id}"));
        return (opened, null);
    }

    private static TrackingPoint Point(InboundMessage message, TheftTracking tracking)
    {
        var d = tracking.Data;
        var fix = Vehicles.Fix.From(d.Position);
        return new TrackingPoint(
            message.Seq, TheftReasons.Phase(tracking.Phase), TimeOr(d.RecordedAtMs, message.ReceivedAt),
            message.ReceivedAt, fix?.Latitude, fix?.Longitude, fix?.AccuracyM,
            d.GsmCell is { } cell ? new GsmCellInfo(cell.Mcc, cell.Mnc, cell.Lac, (long)Math.Min(cell.CellId, long.MaxValue), cell.SignalDbm == 0 ? null : cell.SignalDbm) : null,
            Finite(d.SpeedMps), d.IgnitionOn, d.EngineRunning, Finite(d.RemainingRangeM), Finite(d.OdometerM),
            d.HasBatteryVoltageV && double.IsFinite(d.BatteryVoltageV) ? d.BatteryVoltageV : null,
            d.HasFuelLevelPercent && double.IsFinite(d.FuelLevelPercent) ? d.FuelLevelPercent : null,
            TheftReasons.Antenna(d.GsmAntenna), TheftReasons.Antenna(d.GpsAntenna));
    }

    /// <summary>A time the car sent (Unix milliseconds; 0 = not sent), else <paramref name="otherwise"/>.</summary>
    private static DateTimeOffset TimeOr(long ms, DateTimeOffset otherwise) => ms > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : otherwise;

    private static double Finite(double value) => double.IsFinite(value) && value >= 0 ? value : 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Theft tracking of {Vehicle} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string vehicle, string reason);
}

/// <summary>The monthly health check (E4): notes when the car last proved its tracking unit works.</summary>
internal sealed class HealthCheckHandler : IVehicleMessageHandler
{
    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.HealthCheck;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            // When it arrived counts, not the car's clock: a car whose clock runs ahead must not postpone its next check.
            await TheftCaseStore.CheckedInAsync(connection, transaction, message.Vin, message.ReceivedAt);
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
    }
}
