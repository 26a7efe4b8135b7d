using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>What stops a simulated car (F2).</summary>
public enum BreakdownKind
{
    /// <summary>The 12 V battery is flat: nothing starts (P0562 / P0AFA).</summary>
    FlatBattery,
    /// <summary>The engine or the drive battery overheats (P0217 / P0A7E).</summary>
    Overheating,
    /// <summary>A tyre lost its pressure (C0077).</summary>
    Puncture,
    /// <summary>A control unit stored a fault that stops the car (P0335 / P0AA6).</summary>
    StoppingFault,
}

/// <summary>
/// Connect Care II (F2): the car breaks down now and then (<see cref="SimulatedVehicleOptions.BreakdownsPer1000Km"/>) or on demand,
/// and the driver presses the breakdown button: the car stops, stores the fault and sends its snapshot (<see cref="BreakdownCall"/>)
/// with the driver's consent answers. It answers the cloud's snapshot request (a call from the app) and live-diagnosis requests,
/// keeps the call's progress for its screen, and raises an emergency call — the one message it sends in private mode.
/// </summary>
public sealed partial class SimulatedVehicle
{
    private const int MaxLastPositions = 16;
    private static readonly TimeSpan PositionTrail = TimeSpan.FromSeconds(30);

    private readonly Queue<Position> _lastPositions = new();
    private readonly Dictionary<string, BreakdownStatus> _breakdownStatuses = new(StringComparer.Ordinal);
    private TimeSpan _sinceTrailPoint;
    private BreakdownKind? _breakdown;
    private long _calls;

    /// <summary>What stopped the car, or null while it runs.</summary>
    public BreakdownKind? Breakdown => Read(_ => _breakdown);

    /// <summary>Breakdown calls and live diagnoses sent, and emergency calls raised, since the car was built.</summary>
    public long BreakdownCallsSent { get; private set; }

    public long LiveDiagnosesSent { get; private set; }

    public long EmergencyCallsSent { get; private set; }

    /// <summary>The call's progress as the car's screen shows it: the latest status per call id.</summary>
    public IReadOnlyDictionary<string, BreakdownStatus> BreakdownStatuses =>
        Read(_ => (IReadOnlyDictionary<string, BreakdownStatus>)_breakdownStatuses.ToDictionary(s => s.Key, s => s.Value.Clone(), StringComparer.Ordinal));

    /// <summary>The car breaks down: it stops, the fault is stored, and the driver presses the breakdown button (unless
    /// <paramref name="call"/> is false), answering the consent questions with <paramref name="consent"/> (default: share
    /// everything with the assistance centre, position included, and the snapshot with the preferred dealer).</summary>
    /// <returns>The call id the car chose.</returns>
    public Task<string> BreakDownAsync(BreakdownKind kind, BreakdownConsent? consent = null, bool call = true)
    {
        var callId = "";
        Change(() =>
        {
            BreakDown(kind);
            if (call)
            {
                callId = NextCallId("bd");
                SendBreakdownCall(callId, BreakdownCall.Types.Source.Car, consent ?? new BreakdownConsent { Assistance = true, Dealer = true, Position = true });
            }
        });
        return Task.FromResult(callId);
    }

    /// <summary>Roadside help repaired the car: it runs again and its fault memory is cleared.</summary>
    public Task RepairAsync()
    {
        Change(() =>
        {
            _breakdown = null;
            Faults.Clear();
        });
        return Task.CompletedTask;
    }

    /// <summary>An emergency call (crash sensors or the SOS button): sent whatever the privacy switches and packages say (P1).</summary>
    /// <returns>The call id the car chose.</returns>
    public Task<string> CallEmergencyAsync(EmergencyCall.Types.Trigger trigger, uint? passengers = null)
    {
        var callId = "";
        Change(() =>
        {
            callId = NextCallId("sos");
            if (trigger == EmergencyCall.Types.Trigger.Crash)
            {
                StopAfterBreakdown();
            }
            var emergency = new EmergencyCall
            {
                CallId = callId, Trigger = trigger, OccurredAtMs = NowMs(), Position = CurrentPosition(), HeadingDeg = Math.Round(_state.Heading, 1),
                Propulsion = Powertrain == Powertrain.Electric ? EmergencyCall.Types.Propulsion.Electric : EmergencyCall.Types.Propulsion.Petrol,
                VehicleType = Powertrain == Powertrain.Electric ? "Taycan" : "911 Carrera", CallbackNumber = _options.CallbackNumber,
            };
            emergency.LastPositions.Add(_lastPositions.Select(p => p.Clone()));
            if (passengers is { } count)
            {
                emergency.Passengers = count;
            }
            EmergencyCallsSent++;
            Enqueue(new Envelope { EmergencyCall = emergency }, periodic: false);
        });
        return Task.FromResult(callId);
    }

    /// <summary>The breakdown's effects: the fault, the car stopped. Under the lock.</summary>
    private void BreakDown(BreakdownKind kind)
    {
        _breakdown = kind;
        var electric = Powertrain == Powertrain.Electric;
        var (code, unit) = kind switch
        {
            BreakdownKind.FlatBattery => electric ? ("P0AFA", "bms") : ("P0562", "gateway"),
            BreakdownKind.Overheating => electric ? ("P0A7E", "bms") : ("P0217", "engine"),
            BreakdownKind.Puncture => ("C0077", "brakes"),
            _ => electric ? ("P0AA6", "bms") : ("P0335", "engine"),
        };
        Faults.Raise(code, unit, true, WithFreezeFrame, _time.GetUtcNow());
        StopAfterBreakdown();
    }

    /// <summary>The car rolls to a stop and the engine goes off. Under the lock.</summary>
    private void StopAfterBreakdown()
    {
        if (_state.EngineRunning)
        {
            _state.SetEngine(false);
            Report(Trigger.EngineStop, SupportedSignals);
            EndTrip();
        }
    }

    /// <summary>Breakdowns now and then, per distance, and the trail of last positions. Under the lock.</summary>
    private void WatchBreakdown(TimeSpan elapsed, double metres)
    {
        if (_state.EngineRunning)
        {
            _sinceTrailPoint += elapsed;
            if (_sinceTrailPoint >= PositionTrail)
            {
                _sinceTrailPoint = TimeSpan.Zero;
                _lastPositions.Enqueue(CurrentPosition());
                while (_lastPositions.Count > MaxLastPositions)
                {
                    _lastPositions.Dequeue();
                }
            }
        }
        if (_breakdown is null && metres > 0 && _options.BreakdownsPer1000Km > 0 && _random.Chance(metres / 1_000_000 * _options.BreakdownsPer1000Km))
        {
            var kind = (BreakdownKind)_random.Next(4);
            BreakDown(kind);
            SendBreakdownCall(NextCallId("bd"), BreakdownCall.Types.Source.Car, new BreakdownConsent { Assistance = true, Position = true });
        }
    }

    /// <summary>Queues the snapshot unless the car may not send it. Under the lock.</summary>
    private void SendBreakdownCall(string callId, BreakdownCall.Types.Source source, BreakdownConsent? consent)
    {
        if (!MaySend(ServiceIds.BreakdownCall))
        {
            return;
        }
        var now = _time.GetUtcNow();
        var call = new BreakdownCall
        {
            CallId = callId, Source = source, RecordedAtMs = now.ToUnixTimeMilliseconds(), Consent = consent, CallbackNumber = _options.CallbackNumber,
            Position = CurrentPosition(), HeadingDeg = Math.Round(_state.Heading, 1), SpeedMps = Math.Round(_state.Speed, 1), LiveDiagnosisSupported = true,
            Usage = new UsageData
            {
                OdometerM = Math.Round(_state.Odometer), OperatingTimeS = Math.Round(Wear.OperatingSeconds), EngineStarts = Wear.EngineStarts,
                ChargeCycles = Math.Round(Wear.ChargeCycles, 2), ShortTrips = Wear.ShortTrips,
            },
        };
        call.ControlUnits.Add((Powertrain == Powertrain.Electric ? ElectricUnits : CombustionUnits).Concat(CommonUnits).Select(u => u.Clone()));
        call.Components.Add(Wear.Conditions(now).Select(c => new ComponentCondition { Id = c.Component.Id, Value = Math.Round(c.Value, 3) }));
        call.Faults.Add(Faults.Faults.Select(f => f.ToEntry()));
        call.LastPositions.Add(_lastPositions.Select(p => p.Clone()));
        call.LiveValues.Add(LiveValues([]));
        BreakdownCallsSent++;
        Enqueue(new Envelope { BreakdownCall = call }, periodic: false);
    }

    /// <summary>The app's breakdown call: the snapshot for the cloud's call id. Under the lock.</summary>
    private void AnswerBreakdownDataRequest(BreakdownDataRequest request) =>
        SendBreakdownCall(request.CallId, BreakdownCall.Types.Source.DataRequest, null);

    /// <summary>Fresh fault memory and the live values asked for. Under the lock.</summary>
    private void AnswerLiveDiagnosis(LiveDiagnosisRequest request)
    {
        if (!MaySend(ServiceIds.BreakdownCall))
        {
            return;
        }
        var answer = new LiveDiagnosis { RequestId = request.RequestId, RecordedAtMs = NowMs() };
        answer.Faults.Add(Faults.Faults.Select(f => f.ToEntry()));
        answer.Values.Add(LiveValues(request.ValueNames));
        LiveDiagnosesSent++;
        Enqueue(new Envelope { LiveDiagnosis = answer }, periodic: false);
    }

    /// <summary>Keeps a status for the driver's screen unless a later one is kept already. Under the lock.</summary>
    private string? Show(BreakdownStatus status)
    {
        if (_breakdownStatuses.TryGetValue(status.CallId, out var kept) && kept.UpdatedAtMs > status.UpdatedAtMs)
        {
            return null;
        }
        _breakdownStatuses[status.CallId] = status.Clone();
        return $"breakdown call {status.CallId}: {status.State.ToString().ToLowerInvariant()} {status.Message}".TrimEnd();
    }

    /// <summary>The diagnosis set as the car measures it now (the breakdown shows in it), or the values named. Under the lock.</summary>
    private IEnumerable<LiveValue> LiveValues(IReadOnlyCollection<string> names)
    {
        var electric = Powertrain == Powertrain.Electric;
        var flat = _breakdown == BreakdownKind.FlatBattery;
        var hot = _breakdown == BreakdownKind.Overheating;
        var rpm = _state.EngineRunning ? (electric ? _state.Speed * 60 : 800 + (_state.Speed * 120)) : 0;
        LiveValue[] all =
        [
            new() { Name = "battery_voltage", Value = flat ? 10.4 : Wear.Battery12VVoltage, Unit = "V" },
            new() { Name = "coolant_temperature", Value = hot ? 124 : 88, Unit = "celsius" },
            new() { Name = "tyre_pressure_front_left", Value = 250, Unit = "kPa" },
            new() { Name = "tyre_pressure_front_right", Value = _breakdown == BreakdownKind.Puncture ? 60 : 250, Unit = "kPa" },
            new() { Name = "tyre_pressure_rear_left", Value = 260, Unit = "kPa" },
            new() { Name = "tyre_pressure_rear_right", Value = 260, Unit = "kPa" },
            new() { Name = electric ? "state_of_charge" : "fuel_level", Value = Math.Round(_state.Level, 1), Unit = "%" },
            new() { Name = "engine_speed", Value = Math.Round(rpm), Unit = "rpm" },
        ];
        return names.Count == 0 ? all : all.Where(v => names.Contains(v.Name));
    }

    private Position CurrentPosition() => new()
    {
        Latitude = _state.Position.Latitude, Longitude = _state.Position.Longitude, AccuracyM = _state.HorizontalAccuracy, RecordedAtMs = NowMs(),
    };

    private string NextCallId(string prefix) => $"{prefix}-{NowMs()}-{++_calls}";
}
