using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// What the car drove (time with the engine on, distance, energy used) since an engine start and since the driver last
/// reset the long-term memory (REQUIREMENTS C3).
/// </summary>
/// <param name="StartedAt">The engine start of the drive; for the long term, the reset.</param>
/// <param name="Duration">Stepped (simulated) time with the engine on.</param>
/// <param name="EnergyUsed">kWh from the battery (electric) or litres of fuel (combustion).</param>
public sealed record DrivenTrip(Powertrain Powertrain, DateTimeOffset StartedAt, TimeSpan Duration, double DistanceMetres, double EnergyUsed)
{
    /// <summary>The duration as the car reports it, in whole seconds.</summary>
    public uint DurationSeconds => (uint)Math.Round(Duration.TotalSeconds, MidpointRounding.AwayFromZero);

    /// <summary>m/s over the time driven; 0 before any time.</summary>
    public double AverageSpeedMetresPerSecond => Duration > TimeSpan.Zero ? DistanceMetres / Duration.TotalSeconds : 0;

    /// <summary>l/100 km of a combustion car; null for an EV or before any distance.</summary>
    public double? FuelLitresPer100Km => Powertrain == Powertrain.Combustion ? Per100Km : null;

    /// <summary>kWh/100 km of an EV; null for a combustion car or before any distance.</summary>
    public double? ElectricKwhPer100Km => Powertrain == Powertrain.Electric ? Per100Km : null;

    private double? Per100Km => DistanceMetres > 0 ? EnergyUsed / DistanceMetres * 100_000 : null;
}

/// <summary>Trip Control: the car's trip memory, sent as <see cref="TripStatistics"/> at every engine stop and reset.</summary>
public sealed partial class SimulatedVehicle
{
    // Under _gate. The drive under way (null while the engine is off), the last finished one, and the long-term memory.
    private TripMeter? _drive;
    private DrivenTrip? _lastDrive;
    private TripMeter? _sinceReset;

    /// <summary>The drive that ended at the last engine stop; null before the first one.</summary>
    public DrivenTrip? LastTrip => Read(_ => _lastDrive);

    /// <summary>Everything driven since the last <see cref="ResetTripMemoryAsync"/> (or since the car was built).</summary>
    public DrivenTrip TripsSinceReset => Read(_ => LongTerm.Snapshot(Powertrain));

    /// <summary>TripStatistics frames queued (engine stops and resets that were allowed to be sent).</summary>
    public long TripStatisticsQueued { get; private set; }

    private TripMeter LongTerm => _sinceReset ??= new TripMeter(_time.GetUtcNow());

    /// <summary>
    /// The driver resets the long-term trip memory: it starts again at zero now, and the car sends TripStatistics with
    /// cause RESET (long term zeroed; short term still the last drive). A drive under way counts on from here.
    /// </summary>
    public Task ResetTripMemoryAsync()
    {
        Change(() =>
        {
            _sinceReset = new TripMeter(_time.GetUtcNow());
            SendTripStatistics(TripStatistics.Types.Cause.Reset);
        });
        return Task.CompletedTask;
    }

    /// <summary>Engine on: a new drive starts. Under the lock.</summary>
    private void BeginTrip()
    {
        _drive = new TripMeter(_time.GetUtcNow());
        ServiceEngineStarted();
    }

    /// <summary>Engine off: the drive is the new short term, and the car sends its statistics. Under the lock.</summary>
    private void EndTrip()
    {
        if (_drive is null)
        {
            return;
        }
        _lastDrive = _drive.Snapshot(Powertrain);
        _drive = null;
        ServiceTripEnded(_lastDrive.DistanceMetres);
        SendTripStatistics(TripStatistics.Types.Cause.EngineStop);
    }

    /// <summary>Advances the physics and, with the engine on, meters the time, distance and energy of it. Under the lock.</summary>
    private StateChanges StepMeteringTrip(TimeSpan elapsed)
    {
        if (!_state.EngineRunning)
        {
            return _state.Step(elapsed, _random);
        }
        var (odometer, level) = (_state.Odometer, _state.Level);
        var changes = _state.Step(elapsed, _random);
        var distance = _state.Odometer - odometer;
        var energy = Math.Max(0, level - _state.Level) / 100 * _state.FullLevelContent;
        _drive?.Add(elapsed, distance, energy);
        LongTerm.Add(elapsed, distance, energy);
        return changes;
    }

    /// <summary>Queues the statistics unless the car may not send them: private mode, Trip Control or its group switched off,
    /// or not among the services the packages make active. Under the lock.</summary>
    private void SendTripStatistics(TripStatistics.Types.Cause cause)
    {
        if (!MaySend(ServiceIds.TripControl))
        {
            return;
        }
        var statistics = new TripStatistics { Cause = cause, RecordedAtMs = NowMs(), LongTerm = Figures(LongTerm.Snapshot(Powertrain)) };
        if (_lastDrive is { } last)
        {
            statistics.ShortTerm = Figures(last);
        }
        TripStatisticsQueued++;
        Enqueue(new Envelope { TripStatistics = statistics }, periodic: false);
    }

    private static TripFigures Figures(DrivenTrip trip)
    {
        var figures = new TripFigures
        {
            StartedAtMs = trip.StartedAt.ToUnixTimeMilliseconds(),
            DurationS = trip.DurationSeconds,
            DistanceM = trip.DistanceMetres,
            AverageSpeedMps = trip.AverageSpeedMetresPerSecond,
        };
        if (trip.FuelLitresPer100Km is { } fuel)
        {
            figures.AverageFuelConsumptionLPer100Km = fuel;
        }
        if (trip.ElectricKwhPer100Km is { } electric)
        {
            figures.AverageElectricConsumptionKwhPer100Km = electric;
        }
        return figures;
    }

    /// <summary>A running total of time, distance and energy from a start.</summary>
    private sealed class TripMeter(DateTimeOffset startedAt)
    {
        private TimeSpan _duration;
        private double _distance;
        private double _energy;

        public void Add(TimeSpan elapsed, double distance, double energy)
        {
            _duration += elapsed;
            _distance += distance;
            _energy += energy;
        }

        public DrivenTrip Snapshot(Powertrain powertrain) => new(powertrain, startedAt, _duration, _distance, _energy);
    }
}
