using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Bench;

/// <summary>
/// A car's frames: a hello, and periodic status reports of eight signals (position, heading, speed, odometer,
/// state of charge, a door and its lock) that change a little with every report, each with its recorded_at.
/// One <see cref="Envelope"/> per car is reused and re-serialised for each report (no allocation per report).
/// </summary>
internal sealed class StatusFrames
{
    private readonly Envelope _envelope;
    private readonly SignalValue _latitude;
    private readonly SignalValue _longitude;
    private readonly SignalValue _heading;
    private readonly SignalValue _speed;
    private readonly SignalValue _odometer;
    private readonly SignalValue _stateOfCharge;
    private readonly SignalValue _doorOpen;
    private readonly SignalValue _doorLocked;
    private readonly double _baseLatitude;
    private readonly double _baseLongitude;

    public StatusFrames(int carIndex)
    {
        _baseLatitude = 48.0 + (carIndex % 1000) * 0.001;
        _baseLongitude = 9.0 + (carIndex / 1000) * 0.001;
        _latitude = new SignalValue { Id = SignalCatalog.Latitude.Id, Number = _baseLatitude };
        _longitude = new SignalValue { Id = SignalCatalog.Longitude.Id, Number = _baseLongitude };
        _heading = new SignalValue { Id = SignalCatalog.Heading.Id, Number = 0 };
        _speed = new SignalValue { Id = SignalCatalog.Speed.Id, Number = 0 };
        _odometer = new SignalValue { Id = SignalCatalog.Odometer.Id, Number = 12_345_000 };
        _stateOfCharge = new SignalValue { Id = SignalCatalog.StateOfCharge.Id, Number = 80 };
        _doorOpen = new SignalValue { Id = SignalCatalog.FrontLeftDoorOpen.Id, Flag = false };
        _doorLocked = new SignalValue { Id = SignalCatalog.FrontLeftDoorLocked.Id, Flag = true };
        _envelope = new Envelope
        {
            StatusReport = new StatusReport
            {
                Trigger = Trigger.Periodic,
                Values = { _latitude, _longitude, _heading, _speed, _odometer, _stateOfCharge, _doorOpen, _doorLocked },
            },
        };
    }

    public static Envelope Hello(string vin) => new()
    {
        Hello = new Hello
        {
            ProtocolVersion = EnvelopeCodec.ProtocolVersion,
            Vin = vin,
            Software = { new SoftwareVersion { Component = "telematics", Version = "bench-1.0" } },
            SupportedSignals = { SignalCatalog.All.Select(s => s.Id) },
            Privacy = new PrivacySettings(),
        },
    };

    /// <summary>The report with this seq, as it would be measured at <paramref name="nowMs"/>.</summary>
    public Envelope Report(ulong seq, long nowMs)
    {
        var step = (long)seq;
        _envelope.Seq = seq;
        _envelope.SentAtMs = nowMs;
        _latitude.Number = _baseLatitude + (step % 10_000) * 0.000_01;
        _longitude.Number = _baseLongitude + (step % 10_000) * 0.000_01;
        _heading.Number = step * 7 % 360;
        _speed.Number = 8.0 + step % 25;
        _odometer.Number = 12_345_000 + step * 10;
        _stateOfCharge.Number = 80.0 - step % 1000 * 0.01;
        _doorOpen.Flag = step % 97 == 0;
        _doorLocked.Flag = step % 97 != 0;
        _latitude.RecordedAtMs = nowMs;
        _longitude.RecordedAtMs = nowMs;
        _heading.RecordedAtMs = nowMs;
        _speed.RecordedAtMs = nowMs;
        _odometer.RecordedAtMs = nowMs;
        _stateOfCharge.RecordedAtMs = nowMs;
        _doorOpen.RecordedAtMs = nowMs;
        _doorLocked.RecordedAtMs = nowMs;
        return _envelope;
    }

    /// <summary>The merged state the server keeps per car (what it writes to vehicle_status), for the SQLite ceiling.</summary>
    public StatusReport Snapshot(ulong seq, long nowMs) => Report(seq, nowMs).StatusReport;

    public static int SizeOf(IMessage message) => message.CalculateSize();
}
