using CsCheck;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// Generators of well-formed car messages with absurd content: every vehicle message type, with numbers that are not
/// finite or far out of range, times from before the epoch to past the year 9999, over-long strings and lists.
/// A message is built from the platform's time when it is sent (<c>Func&lt;now ms, message&gt;</c>).
/// </summary>
public static class HostileFrames
{
    private static readonly Gen<double> Number = Gen.Frequency(
        (3, Gen.OneOf(double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, -double.MaxValue, -1.0, 1e12, -0.0)),
        (1, Gen.Double));

    /// <summary>A time: absolute absurdities, or an offset of up to ±30 years from now.</summary>
    private static readonly Gen<Func<long, long>> Time = Gen.Frequency(
        (2, Gen.OneOf(long.MaxValue, long.MinValue, 253_402_300_800_000L, -1L, 0L).Select(t => (Func<long, long>)(_ => t))),
        (2, Gen.Long[-1_000_000_000_000L, 1_000_000_000_000L].Select(offset => (Func<long, long>)(now => now + offset))),
        (1, Gen.Const((Func<long, long>)(now => now))));

    private static readonly Gen<string> Text = Gen.OneOf(0, 8, 65, 300, 5_000).Select(n => new string('x', n));

    private static readonly Gen<Func<long, Position>> Place =
        Gen.Select(Number, Number, Number, Time, (lat, lon, accuracy, at) =>
            (Func<long, Position>)(now => new Position { Latitude = lat, Longitude = lon, AccuracyM = accuracy, RecordedAtMs = at(now) }));

    private static readonly Gen<Func<long, SignalValue>> Value =
        Gen.Select(Gen.OneOf(SignalCatalog.All.Select(s => s.Id).Append(9999u).ToArray()), Number, Time, Gen.Int[0, 2], Text,
            (id, number, at, kind, text) => (Func<long, SignalValue>)(now =>
            {
                var value = new SignalValue { Id = id, RecordedAtMs = at(now) };
                if (kind == 0)
                {
                    value.Number = number;
                }
                else if (kind == 1)
                {
                    value.Flag = true;
                }
                else
                {
                    value.Text = text;
                }
                return value;
            }));

    private static readonly Gen<Func<long, TrackingData>> Tracking =
        Gen.Select(Time, Place, Number, Number, Number, Number, Gen.Int[-1000, 1000], (at, place, speed, range, odometer, volts, dbm) =>
            (Func<long, TrackingData>)(now => new TrackingData
            {
                RecordedAtMs = at(now), Position = place(now), SpeedMps = speed, RemainingRangeM = range, OdometerM = odometer,
                BatteryVoltageV = volts, FuelLevelPercent = speed, GsmCell = new GsmCell { Mcc = 262, Mnc = 1, CellId = ulong.MaxValue, SignalDbm = dbm },
            }));

    private static readonly Gen<Func<long, Envelope>> Status =
        Gen.Select(Value.Array[1, 6], Text, Gen.Int[0, 3], (values, requestId, lists) => (Func<long, Envelope>)(now => new Envelope
        {
            StatusReport = new StatusReport
            {
                Trigger = Trigger.Periodic, RequestId = requestId, Values = { values.Select(v => v(now)) },
                Privacy = lists == 0 ? new PrivacySettings { DisabledServices = { Enumerable.Repeat("car_finder", 100) } } : null,
            },
        }));

    private static readonly Gen<Func<long, Envelope>> Alarm = Gen.Select(Time, Place, (at, place) =>
        (Func<long, Envelope>)(now => new Envelope { AlarmEvent = new AlarmEvent { Reason = AlarmEvent.Types.Reason.Door, OccurredAtMs = at(now), Position = place(now) } }));

    private static readonly Gen<Func<long, TripFigures>> Figures = Gen.Select(Time, Number, Number, Number, (at, distance, speed, consumption) =>
        (Func<long, TripFigures>)(now => new TripFigures
        {
            StartedAtMs = at(now), DurationS = uint.MaxValue, DistanceM = distance, AverageSpeedMps = speed, AverageElectricConsumptionKwhPer100Km = consumption,
        }));

    private static readonly Gen<Func<long, Envelope>> Trip = Gen.Select(Time, Figures, Figures, (at, shortTerm, longTerm) =>
        (Func<long, Envelope>)(now => new Envelope
        {
            TripStatistics = new TripStatistics { Cause = TripStatistics.Types.Cause.EngineStop, RecordedAtMs = at(now), ShortTerm = shortTerm(now), LongTerm = longTerm(now) },
        }));

    private static readonly Gen<Func<long, Envelope>> Geofence = Gen.Select(Text, Time, Place, (id, at, place) =>
        (Func<long, Envelope>)(now => new Envelope
        {
            GeofenceEvent = new GeofenceEvent { GeofenceId = id, Transition = GeofenceEvent.Types.Transition.Exited, OccurredAtMs = at(now), Position = place(now) },
        }));

    private static readonly Gen<Func<long, Envelope>> Valet = Gen.Select(Text, Time, Place, Number, (id, at, place, speed) =>
        (Func<long, Envelope>)(now => new Envelope
        {
            ValetEvent = new ValetEvent { Kind = ValetEvent.Types.Kind.SpeedExceeded, ValetId = id, OccurredAtMs = at(now), Position = place(now), SpeedMps = speed },
        }));

    private static readonly Gen<Func<long, Envelope>> Theft = Gen.Select(Text, Time, Time, Tracking, (id, started, ended, data) =>
        (Func<long, Envelope>)(now => new Envelope
        {
            TheftTracking = new TheftTracking
            {
                IncidentId = id, Phase = TheftTracking.Types.Phase.Started, Reason = TheftReason.UnauthorisedMovement,
                TheftModeStartedAtMs = started(now), TheftModeEndedAtMs = ended(now), Data = data(now),
            },
        }));

    private static readonly Gen<Func<long, Envelope>> Health = Gen.Select(Tracking, Gen.Int[0, 100], (data, reasons) =>
        (Func<long, Envelope>)(now => new Envelope
        {
            HealthCheck = new HealthCheck { Data = data(now), SuspendedReasons = { Enumerable.Repeat(TheftReason.Alarm, reasons) } },
        }));

    private static readonly Gen<Func<long, Envelope>> Result = Gen.Select(Text, Text, (id, reason) =>
        (Func<long, Envelope>)(_ => new Envelope { CommandResult = new CommandResult { CommandId = id, Outcome = CommandResult.Types.Outcome.Failed, Reason = reason } }));

    /// <summary>One message of any vehicle message type, with absurd content.</summary>
    public static Gen<Func<long, Envelope>> Any { get; } = Gen.OneOf(Status, Alarm, Trip, Geofence, Valet, Theft, Health, Result);

    /// <summary>A car's seq step: mostly the next one, now and then an absurd jump.</summary>
    public static Gen<ulong> SeqStep { get; } = Gen.Frequency((8, Gen.Const(1UL)), (1, Gen.OneOf(ulong.MaxValue / 2, (ulong)long.MaxValue, 10_000_000_000UL)));
}
