using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// Smart Service (F1): the car's parts wear from its own driving (<see cref="ServiceWear"/>), its control units store faults
/// now and then (<see cref="FaultMemory"/>), and it sends a <see cref="ServiceLog"/> periodically (by the clock, the cloud sets
/// the interval), when a component crosses one of the car's thresholds and when a fault is stored — only while the service
/// <c>maintenance</c> is active and switched on, never in private mode. The health the cloud sends back is kept for the display.
/// </summary>
public sealed partial class SimulatedVehicle
{
    /// <summary>The car's own warning thresholds: crossing one sends a log at once.</summary>
    private static readonly (ServiceComponent Component, double Threshold)[] Thresholds =
    [
        (ComponentCatalog.BrakePadsFront, 80), (ComponentCatalog.BrakePadsFront, 90),
        (ComponentCatalog.BrakePadsRear, 80), (ComponentCatalog.BrakePadsRear, 90),
        (ComponentCatalog.EngineOilLife, 10), (ComponentCatalog.CabinFilter, 10), (ComponentCatalog.Battery12VHealth, 70),
        (ComponentCatalog.TyreTreadFrontLeft, 3), (ComponentCatalog.TyreTreadFrontRight, 3),
        (ComponentCatalog.TyreTreadRearLeft, 3), (ComponentCatalog.TyreTreadRearRight, 3),
    ];

    private static readonly ControlUnit[] CombustionUnits =
    [
        new() { Name = "engine", PartNumber = "9A7.907.309.B", SoftwareVersion = "0810", HardwareVersion = "H05" },
        new() { Name = "transmission", PartNumber = "9A7.927.750.AK", SoftwareVersion = "3112", HardwareVersion = "H02" },
    ];

    private static readonly ControlUnit[] ElectricUnits =
    [
        new() { Name = "bms", PartNumber = "9J1.915.234.C", SoftwareVersion = "0420", HardwareVersion = "H11" },
        new() { Name = "inverter", PartNumber = "9J1.907.121.F", SoftwareVersion = "1207", HardwareVersion = "H04" },
        new() { Name = "charger", PartNumber = "9J1.915.681.B", SoftwareVersion = "0315", HardwareVersion = "H03" },
    ];

    private static readonly ControlUnit[] CommonUnits =
    [
        new() { Name = "brakes", PartNumber = "4M0.614.517.AB", SoftwareVersion = "0150", HardwareVersion = "H09" },
        new() { Name = "gateway", PartNumber = "9J1.907.468.D", SoftwareVersion = "5122", HardwareVersion = "H07" },
    ];

    private ServiceWear? _wearState;
    private FaultMemory? _faultMemory;
    private TimeSpan _serviceLogInterval;
    private DateTimeOffset _lastServiceLogAt;

    /// <summary>Service logs queued since the car was built.</summary>
    public long ServiceLogsQueued { get; private set; }

    /// <summary>The health the cloud last sent for the car's display (F1); null before any.</summary>
    public ServiceHealth? DisplayedHealth { get; private set; }

    /// <summary>How often the car sends its service log (clock time); the cloud may change it.</summary>
    public TimeSpan ServiceLogInterval => Read(_ => _serviceLogInterval);

    /// <summary>The condition of a component now (catalogue key), as the next log reports it; null when the car has none.</summary>
    public double? Condition(ServiceComponent component) =>
        Read(_ => Wear.Conditions(_time.GetUtcNow()).Where(c => c.Component == component).Select(c => (double?)c.Value).FirstOrDefault());

    /// <summary>The fault codes in the car's memory.</summary>
    public IReadOnlyList<string> FaultCodes => Read(_ => Faults.Faults.Select(f => f.Code).ToList());

    private ServiceWear Wear => _wearState ??= new ServiceWear(Powertrain, _options.ServiceCondition, _time.GetUtcNow(), _options.WearFactor);

    private FaultMemory Faults => _faultMemory ??= new FaultMemory(Powertrain);

    /// <summary>Sends a service log now (cause ON_REQUEST unless said otherwise).</summary>
    public Task SendServiceLogAsync(ServiceLog.Types.Cause cause = ServiceLog.Types.Cause.OnRequest)
    {
        Change(() => SendServiceLog(cause, []));
        return Task.CompletedTask;
    }

    /// <summary>A control unit stores <paramref name="code"/> (an SAE J2012 code, e.g. P0420) now, and the car sends a log with it.</summary>
    public Task RaiseFaultAsync(string code, string controlUnit = "engine", bool warningLamp = true)
    {
        Change(() =>
        {
            if (Faults.Raise(code, controlUnit, warningLamp, WithFreezeFrame, _time.GetUtcNow()) is not null)
            {
                SendServiceLog(ServiceLog.Types.Cause.Fault, []);
            }
        });
        return Task.CompletedTask;
    }

    /// <summary>A workshop serviced the car: wear parts renewed, fault memory cleared.</summary>
    public Task ServiceAtWorkshopAsync()
    {
        Change(() =>
        {
            Wear.Serviced(_time.GetUtcNow());
            Faults.Clear();
        });
        return Task.CompletedTask;
    }

    /// <summary>Wear, faults and the service log's triggers for one step. Under the lock.</summary>
    private void AdvanceService(TimeSpan elapsed, double speedBefore, double odometerBefore, double levelBefore)
    {
        var now = _time.GetUtcNow();
        var outside = _state.Climate.OutsideTemperature;
        var before = Thresholds.Select(t => CurrentValue(t.Component)).ToArray();
        Wear.AgeTo(now, outside);
        var distance = _state.Odometer - odometerBefore;
        if (_state.EngineRunning && elapsed > TimeSpan.Zero)
        {
            var hardBrake = distance > 0 && _random.Chance(distance / 100_000 * _options.HardBrakingPer100Km);
            Wear.Drive(elapsed.TotalSeconds, distance, speedBefore, _state.Speed, outside, hardBrake);
            if (Faults.MaybeRaise(distance, _options.FaultsPer1000Km, _random, WithFreezeFrame, now) is not null)
            {
                SendServiceLog(ServiceLog.Types.Cause.Fault, []);
            }
        }
        if (_state.Powertrain == Powertrain.Electric && _state.Level > levelBefore)
        {
            Wear.Charged((_state.Level - levelBefore) / 100 * _state.FullLevelContent, _state.FullLevelContent, _state.Charging.ChargerKw);
        }
        var crossed = Thresholds.Where((t, i) => before[i] is { } b && CurrentValue(t.Component) is { } a && (b < t.Threshold) != (a < t.Threshold))
            .Select(t => t.Component.Id).Distinct().ToList();
        if (crossed.Count > 0)
        {
            SendServiceLog(ServiceLog.Types.Cause.Threshold, crossed);
        }
        if (_lastServiceLogAt == default)
        {
            _lastServiceLogAt = now;
        }
        else if (_serviceLogInterval > TimeSpan.Zero && now - _lastServiceLogAt >= _serviceLogInterval)
        {
            SendServiceLog(ServiceLog.Types.Cause.Periodic, []);
        }
    }

    /// <summary>Engine on. Under the lock.</summary>
    private void ServiceEngineStarted() => Wear.EngineStarted();

    /// <summary>Engine off after a drive of <paramref name="metres"/>. Under the lock.</summary>
    private void ServiceTripEnded(double metres)
    {
        Wear.TripEnded(metres, _state.Climate.OutsideTemperature);
        Faults.DriveEnded(_random, _time.GetUtcNow());
    }

    private double? CurrentValue(ServiceComponent component)
    {
        var now = _time.GetUtcNow();
        foreach (var (c, value) in Wear.Conditions(now))
        {
            if (c == component)
            {
                return value;
            }
        }
        return null;
    }

    private FaultMemory.Fault WithFreezeFrame(FaultMemory.Fault fault)
    {
        var rpm = _state.EngineRunning ? (_state.Powertrain == Powertrain.Electric ? _state.Speed * 60 : 800 + _state.Speed * 120) : 0;
        fault.FreezeFrame.Add(new FreezeFrameValue { Name = "vehicle_speed", Value = Math.Round(_state.Speed, 1), Unit = "m/s" });
        fault.FreezeFrame.Add(new FreezeFrameValue { Name = "engine_speed", Value = Math.Round(rpm), Unit = "rpm" });
        fault.FreezeFrame.Add(new FreezeFrameValue { Name = "outside_temperature", Value = _state.Climate.OutsideTemperature, Unit = "celsius" });
        fault.FreezeFrame.Add(new FreezeFrameValue { Name = "battery_voltage", Value = Wear.Battery12VVoltage, Unit = "V" });
        fault.FreezeFrame.Add(new FreezeFrameValue { Name = "odometer", Value = Math.Round(_state.Odometer), Unit = "m" });
        return fault;
    }

    /// <summary>Queues a log unless the car may not send it. Under the lock.</summary>
    private void SendServiceLog(ServiceLog.Types.Cause cause, IReadOnlyList<uint> crossed)
    {
        var now = _time.GetUtcNow();
        _lastServiceLogAt = now;
        if (!MaySend(ServiceIds.Maintenance))
        {
            return;
        }
        var wear = Wear;
        var log = new ServiceLog { LogVersion = 1, Cause = cause, RecordedAtMs = now.ToUnixTimeMilliseconds() };
        log.ControlUnits.Add((Powertrain == Powertrain.Electric ? ElectricUnits : CombustionUnits).Concat(CommonUnits).Select(u => u.Clone()));
        log.Faults.Add(Faults.Faults.Select(f => f.ToEntry()));
        log.Components.Add(wear.Conditions(now).Select(c => new ComponentCondition { Id = c.Component.Id, Value = Math.Round(c.Value, 3) }));
        log.Crossed.Add(crossed);
        log.Usage = new UsageData
        {
            OdometerM = Math.Round(_state.Odometer), OperatingTimeS = Math.Round(wear.OperatingSeconds), EngineStarts = wear.EngineStarts,
            ChargeCycles = Math.Round(wear.ChargeCycles, 2), ShortTrips = wear.ShortTrips,
            Histograms =
            {
                Histogram("deceleration_mps2", ServiceWear.DecelerationBounds, wear.Deceleration),
                Histogram("speed_mps", ServiceWear.SpeedBounds, wear.Speeds),
                Histogram("outside_temperature_celsius", ServiceWear.TemperatureBounds, wear.Temperatures),
            },
        };
        ServiceLogsQueued++;
        Enqueue(new Envelope { ServiceLog = log }, periodic: false);
    }

    private static Histogram Histogram(string name, double[] bounds, ulong[] counts) =>
        new() { Name = name, UpperBounds = { bounds }, Counts = { counts } };
}
