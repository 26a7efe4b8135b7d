using Pitwall.Protocol.V1;

namespace Pitwall.Bench.Soc;

/// <summary>
/// The theft-mode messages of one car (E2), as pitwall-sim sends them: one incident id for the whole theft-mode period,
/// the first message <c>PHASE_STARTED</c> (it opens the SOC's case), then <c>PHASE_TRACKING</c>; a moving car with its
/// position, GSM cell, speed, ignition and engine, range, mileage, battery voltage and both antennas fine.
/// One envelope per car, refilled for every message.
/// </summary>
internal sealed class TrackingFrames
{
    private readonly Envelope _envelope;
    private readonly TheftTracking _tracking;
    private readonly TrackingData _data;
    private readonly Position _position;
    private readonly double _baseLatitude;
    private readonly double _baseLongitude;
    private long _messages;

    public TrackingFrames(int carIndex, string incidentId, long startedAtMs)
    {
        _baseLatitude = 48.7 + (carIndex % 100) * 0.002;
        _baseLongitude = 9.1 + (carIndex / 100) * 0.002;
        _position = new Position { Latitude = _baseLatitude, Longitude = _baseLongitude, AccuracyM = 5 };
        _data = new TrackingData
        {
            Position = _position,
            GsmCell = new GsmCell { Mcc = 262, Mnc = 1, Lac = 2435, CellId = 1_000_000 + (ulong)carIndex, SignalDbm = -75 },
            IgnitionOn = true,
            EngineRunning = true,
            BatteryVoltageV = 14.2,
            GsmAntenna = AntennaState.Ok,
            GpsAntenna = AntennaState.Ok,
        };
        _tracking = new TheftTracking
        {
            IncidentId = incidentId,
            Reason = TheftReason.UnauthorisedMovement,
            TheftModeStartedAtMs = startedAtMs,
            Data = _data,
        };
        _envelope = new Envelope { TheftTracking = _tracking };
    }

    /// <summary>The next tracking message with this seq, measured at <paramref name="nowMs"/>.</summary>
    public Envelope Next(long seq, long nowMs)
    {
        var step = _messages++;
        _envelope.Seq = (ulong)seq;
        _envelope.SentAtMs = nowMs;
        _tracking.Phase = step == 0 ? TheftTracking.Types.Phase.Started : TheftTracking.Types.Phase.Tracking;
        _data.RecordedAtMs = nowMs;
        _position.RecordedAtMs = nowMs;
        _position.Latitude = _baseLatitude + step * 0.0008; // ≈ 90 m per message: 9 m/s with a message every 10 s
        _position.Longitude = _baseLongitude + step * 0.0003;
        _data.SpeedMps = 9 + step % 7;
        _data.RemainingRangeM = Math.Max(0, 300_000 - step * 90);
        _data.OdometerM = 12_345_000 + step * 90;
        return _envelope;
    }
}
