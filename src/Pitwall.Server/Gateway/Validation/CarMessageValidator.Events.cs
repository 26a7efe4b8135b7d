using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway.Validation;

/// <summary>
/// The event messages: an event's own time is its substance, so an impossible one refuses the message; a position or a
/// measurement that is implausible is dropped (absent, or 0 where proto3 has no absence) and the event is kept.
/// </summary>
public sealed partial class CarMessageValidator
{
    private static ContentVerdict CheckAlarm(AlarmEvent alarm, TimeWindow window)
    {
        var verdict = CheckEvent("", alarm.OccurredAtMs, alarm.Position, window);
        if (verdict.Dropped > 0)
        {
            alarm.Position = null;
        }
        return verdict;
    }

    private static ContentVerdict CheckGeofence(GeofenceEvent e, TimeWindow window)
    {
        var verdict = CheckEvent(e.GeofenceId, e.OccurredAtMs, e.Position, window);
        if (verdict.Dropped > 0)
        {
            e.Position = null;
        }
        return verdict;
    }

    private static ContentVerdict CheckValet(ValetEvent e, TimeWindow window)
    {
        var verdict = CheckEvent(e.ValetId, e.OccurredAtMs, e.Position, window);
        if (verdict.Dropped > 0)
        {
            e.Position = null;
        }
        if (verdict.Refusal is null && !IsWithin(e.SpeedMps, 0, PhysicalLimits.MaxSpeedMps))
        {
            e.SpeedMps = 0; // not known
            verdict = verdict with { Dropped = verdict.Dropped + 1 };
        }
        return verdict;
    }

    /// <summary>An event's id bounded and its time possible; Dropped = 1 when its position must go.</summary>
    private static ContentVerdict CheckEvent(string id, long occurredAtMs, Position? position, TimeWindow window) =>
        TooLong(id) ? ContentVerdict.Refuse(RefusalReasons.FieldTooLong)
        : !window.ContainsOrUnset(occurredAtMs) ? ContentVerdict.Refuse(RefusalReasons.TimeOutOfRange)
        : new ContentVerdict(null, DropImplausible(position, window));

    private static ContentVerdict CheckTrip(TripStatistics trip, TimeWindow window)
    {
        if (!window.ContainsOrUnset(trip.RecordedAtMs))
        {
            return ContentVerdict.Refuse(RefusalReasons.TimeOutOfRange);
        }
        var dropped = 0;
        if (trip.ShortTerm is { } shortTerm && !IsPlausible(shortTerm, window))
        {
            trip.ShortTerm = null;
            dropped++;
        }
        if (trip.LongTerm is { } longTerm && !IsPlausible(longTerm, window))
        {
            trip.LongTerm = null;
            dropped++;
        }
        return new ContentVerdict(null, dropped);
    }

    private static bool IsPlausible(TripFigures f, TimeWindow window) =>
        window.ContainsOrUnset(f.StartedAtMs) &&
        IsWithin(f.DistanceM, 0, PhysicalLimits.MaxTripDistanceMetres) &&
        IsWithin(f.AverageSpeedMps, 0, PhysicalLimits.MaxSpeedMps) &&
        (!f.HasAverageFuelConsumptionLPer100Km || IsWithin(f.AverageFuelConsumptionLPer100Km, 0, PhysicalLimits.MaxAverageConsumptionPer100Km)) &&
        (!f.HasAverageElectricConsumptionKwhPer100Km || IsWithin(f.AverageElectricConsumptionKwhPer100Km, -PhysicalLimits.MaxAverageConsumptionPer100Km,
            PhysicalLimits.MaxAverageConsumptionPer100Km));

    private static ContentVerdict CheckTheft(TheftTracking tracking, TimeWindow window)
    {
        if (TooLong(tracking.IncidentId))
        {
            return ContentVerdict.Refuse(RefusalReasons.FieldTooLong);
        }
        if (!window.ContainsOrUnset(tracking.TheftModeStartedAtMs) || !window.ContainsOrUnset(tracking.TheftModeEndedAtMs))
        {
            return ContentVerdict.Refuse(RefusalReasons.TimeOutOfRange);
        }
        return tracking.Data is { } data ? CheckTracking(data, window) : default;
    }

    private static ContentVerdict CheckHealth(HealthCheck check, TimeWindow window)
    {
        if (TooMany(check.SuspendedReasons))
        {
            return ContentVerdict.Refuse(RefusalReasons.TooManyEntries);
        }
        return check.Data is { } data ? CheckTracking(data, window) : default;
    }

    private static ContentVerdict CheckTracking(TrackingData d, TimeWindow window)
    {
        if (!window.ContainsOrUnset(d.RecordedAtMs))
        {
            return ContentVerdict.Refuse(RefusalReasons.TimeOutOfRange);
        }
        var dropped = DropImplausible(d.Position, window);
        if (dropped > 0)
        {
            d.Position = null;
        }
        if (!IsWithin(d.SpeedMps, 0, PhysicalLimits.MaxSpeedMps))
        {
            d.SpeedMps = 0;
            dropped++;
        }
        if (!IsWithin(d.RemainingRangeM, 0, PhysicalLimits.MaxRangeMetres))
        {
            d.RemainingRangeM = 0;
            dropped++;
        }
        if (!IsWithin(d.OdometerM, 0, PhysicalLimits.MaxOdometerMetres))
        {
            d.OdometerM = 0;
            dropped++;
        }
        if (d.HasBatteryVoltageV && !IsWithin(d.BatteryVoltageV, 0, PhysicalLimits.MaxLowVoltageVolts))
        {
            d.ClearBatteryVoltageV();
            dropped++;
        }
        if (d.HasFuelLevelPercent && !IsWithin(d.FuelLevelPercent, 0, 100))
        {
            d.ClearFuelLevelPercent();
            dropped++;
        }
        if (d.GsmCell is { SignalDbm: < -200 or > 0 } cell)
        {
            cell.SignalDbm = 0; // unknown
            dropped++;
        }
        return new ContentVerdict(null, dropped);
    }

    /// <returns>1 when the position must be dropped (not on earth, or an impossible time); a bad accuracy alone is cleared.</returns>
    private static int DropImplausible(Position? position, TimeWindow window)
    {
        if (position is null)
        {
            return 0;
        }
        if (!position.IsOnEarth() || !window.ContainsOrUnset(position.RecordedAtMs))
        {
            return 1;
        }
        if (!IsWithin(position.AccuracyM, 0, PhysicalLimits.MaxAccuracyMetres))
        {
            position.AccuracyM = 0; // unknown
        }
        return 0;
    }

    private static bool IsWithin(double value, double min, double max) => double.IsFinite(value) && value >= min && value <= max;
}
