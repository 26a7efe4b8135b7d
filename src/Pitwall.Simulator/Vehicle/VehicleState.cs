namespace Pitwall.Simulator;

/// <summary>What <see cref="VehicleState.Step"/> noticed that the car reports on.</summary>
[Flags]
internal enum StateChanges
{
    None = 0,
    /// <summary>The energy level crossed a multiple of 10 %.</summary>
    LevelBand = 1,
    /// <summary>Charging state changed by itself (limit reached).</summary>
    Charging = 2,
    /// <summary>Climatisation stopped by itself (timeout, low battery).</summary>
    Climate = 4,
}

/// <summary>
/// The car's physical state in SI units and a simple driving model: a heading random walk that stays within a
/// radius of home, and energy use per metre. Only touched under the owning vehicle's lock.
/// </summary>
internal sealed class VehicleState(Powertrain powertrain, GeoPosition position, double heading, double level, double odometer)
{
    // An EV with 80 kWh using 18 kWh/100 km; a combustion car with 60 l using 7 l/100 km.
    private const double EvCapacityKwh = ChargingSystem.CapacityKwh, EvKwhPerMetre = 0.18 / 1000;
    private const double TankLitres = 60, LitresPerMetre = 7.0 / 100 / 1000;
    private const double RoamRadiusMetres = 6000;
    private static readonly TimeSpan MaxSubStep = TimeSpan.FromSeconds(1);

    public Powertrain Powertrain { get; } = powertrain;
    public GeoPosition Home { get; set; } = position;
    public GeoPosition Position { get; private set; } = position;
    public double Heading { get; private set; } = heading;
    public double HorizontalAccuracy { get; private set; } = 5;
    public double Speed { get; private set; }
    /// <summary>What the driver is aiming for while the engine runs; 0 = standing.</summary>
    public double TargetSpeed { get; set; }

    /// <summary>The driver keeps to <see cref="TargetSpeed"/> instead of changing pace now and then.</summary>
    public bool HoldSpeed { get; set; }
    public double Odometer { get; private set; } = odometer;
    /// <summary>State of charge or fuel level, %.</summary>
    public double Level { get; private set; } = Math.Clamp(level, 0, 100);
    public bool EngineRunning { get; private set; }
    public ChargingSystem Charging { get; } = new();
    public ClimateSystem Climate { get; } = new();
    public bool Locked { get; set; }
    public bool TailgateOpen { get; set; }
    private int _openDoors;

    public double RangeMetres => Powertrain == Powertrain.Electric
        ? Level / 100 * EvCapacityKwh / EvKwhPerMetre
        : Level / 100 * TankLitres / LitresPerMetre;

    /// <summary>What a full <see cref="Level"/> holds: kWh in the battery or litres in the tank.</summary>
    public double FullLevelContent => Powertrain == Powertrain.Electric ? EvCapacityKwh : TankLitres;

    public string ClusterWarnings => Level < 10 ? (Powertrain == Powertrain.Electric ? "LOW_BATTERY" : "LOW_FUEL") : "";

    /// <summary>Puts the car at an exact place (tests, scenarios); the driving model carries on from there.</summary>
    public void Place(GeoPosition position) => Position = position;

    public bool IsDoorOpen(Door door) => (_openDoors & (1 << (int)door)) != 0;

    public bool AnyDoorOpen => _openDoors != 0;

    public void SetDoor(Door door, bool open) =>
        _openDoors = open ? _openDoors | (1 << (int)door) : _openDoors & ~(1 << (int)door);

    public void SetEngine(bool running)
    {
        EngineRunning = running;
        if (!running)
        {
            TargetSpeed = 0;
            Speed = 0;
        }
        else
        {
            // Nobody drives off plugged in; remote climatisation ends when the driver takes over.
            Charging.Unplug();
            if (Climate.Active)
            {
                Climate.Stop("driving");
            }
        }
    }

    /// <returns>Null when climatisation started, else why not.</returns>
    public string? StartClimate(double target, string? zones)
    {
        if (Powertrain == Powertrain.Electric && Level < ClimateSystem.MinStartLevel)
        {
            return "low_battery";
        }
        Climate.Start(target, zones);
        return null;
    }

    /// <returns>The changes a refill causes (a combustion car refuels at once).</returns>
    public StateChanges Refuel()
    {
        var before = Band(Level);
        Level = 100;
        return Band(Level) != before ? StateChanges.LevelBand : StateChanges.None;
    }

    public StateChanges Step(TimeSpan elapsed, SimRandom random)
    {
        var changes = StateChanges.None;
        var before = Band(Level);
        while (elapsed > TimeSpan.Zero)
        {
            var dt = elapsed < MaxSubStep ? elapsed : MaxSubStep;
            elapsed -= dt;
            changes |= SubStep(dt.TotalSeconds, random);
        }
        if (Band(Level) != before)
        {
            changes |= StateChanges.LevelBand;
        }
        return changes;
    }

    private StateChanges SubStep(double dt, SimRandom random)
    {
        var changes = StateChanges.None;
        if (Climate.Advance(dt))
        {
            changes |= StateChanges.Climate;
        }
        if (Climate.Active && Powertrain == Powertrain.Electric && !Charging.IsCharging)
        {
            Level = Math.Max(0, Level - ClimateSystem.DrawKw * dt / 3600 / EvCapacityKwh * 100);
            if (Level < ClimateSystem.StopLevel)
            {
                Climate.Stop("low_battery");
                changes |= StateChanges.Climate;
            }
        }
        if (Charging.IsCharging)
        {
            Level = Charging.Charge(Level, dt);
            return Charging.IsCharging ? changes : changes | StateChanges.Charging;
        }
        if (!EngineRunning)
        {
            return changes;
        }
        // Drivers change pace now and then; an empty car rolls to a stop.
        if (TargetSpeed > 0 && !HoldSpeed && random.Chance(dt / 40))
        {
            TargetSpeed = random.Between(8, 22);
        }
        var target = Level <= 0 ? 0 : TargetSpeed;
        Speed = Math.Clamp(target - Speed, -3 * dt, 2 * dt) + Speed;
        if (Speed <= 0)
        {
            Speed = 0;
            return changes;
        }
        Heading += random.Between(-10, 10) * dt;
        if (Position.DistanceTo(Home) > RoamRadiusMetres)
        {
            // Steer back towards home by at most 15 degrees per second.
            var turn = ((Position.BearingTo(Home) - Heading) % 360 + 540) % 360 - 180;
            Heading += Math.Clamp(turn, -15 * dt, 15 * dt);
        }
        Heading = (Heading % 360 + 360) % 360;
        var distance = Speed * dt;
        var radians = Heading * Math.PI / 180;
        Position = Position.Offset(distance * Math.Cos(radians), distance * Math.Sin(radians));
        HorizontalAccuracy = random.Between(2.5, 8);
        Odometer += distance;
        var usePerMetre = Powertrain == Powertrain.Electric ? EvKwhPerMetre / EvCapacityKwh : LitresPerMetre / TankLitres;
        Level = Math.Max(0, Level - distance * usePerMetre * 100);
        return changes;
    }

    private static int Band(double level) => (int)Math.Floor(level / 10);
}
