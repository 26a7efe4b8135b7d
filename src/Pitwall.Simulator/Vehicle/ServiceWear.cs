using Pitwall.Protocol;

namespace Pitwall.Simulator;

/// <summary>
/// How the car's wear parts age (REQUIREMENTS F1), from its own driving: brake pads from distance and braking energy (an EV
/// brakes mostly by recuperation), hard braking and short trips wear faster, cold weather ages oil and the 12 V battery, fast
/// charging and cycles age the traction battery, and time ages brake fluid, oil, filters and batteries. Calibrated to
/// ordinary service lives (front pads ≈ 60 000 km in a combustion car, oil a year or 15 000 km, tyres ≈ 40 000 km) and scaled
/// by <see cref="SimulatedVehicleOptions.WearFactor"/>. Only touched under the owning vehicle's lock.
/// </summary>
internal sealed class ServiceWear(Powertrain powertrain, ServiceCondition start, DateTimeOffset now, double wearFactor)
{
    private const double HardBrakingMps2 = 3.5;
    private const double ShortTripMetres = 5000;

    public Powertrain Powertrain { get; } = powertrain;
    public double PadsFront { get; private set; } = start.BrakePadsFrontWear;
    public double PadsRear { get; private set; } = start.BrakePadsRearWear;
    public DateTimeOffset BrakeFluidChangedAt { get; private set; } = now - start.BrakeFluidAge;
    public double OilLevel { get; private set; } = 95;
    public double OilLife { get; private set; } = start.OilLife;
    public double GearOil { get; private set; } = 100;
    public double Battery12V { get; private set; } = start.Battery12VHealth;
    public double CoolantLevel { get; private set; } = 98;
    public double AirFilter { get; private set; } = 100;
    public double CabinFilter { get; private set; } = 100;
    public double TractionBattery { get; private set; } = 100;
    public double[] Pressure { get; } = [250, 250, 240, 240];
    public double[] Tread { get; } = [.. Enumerable.Repeat(start.TyreTread, 4)];

    public double OperatingSeconds { get; private set; }
    public uint EngineStarts { get; private set; }
    public double ChargeCycles { get; private set; }
    public uint ShortTrips { get; private set; }
    public double FastChargeShare => _chargedKwh > 0 ? _fastChargedKwh / _chargedKwh : 0;

    // Driving-style histograms, counted per second of driving.
    public static readonly double[] DecelerationBounds = [1, 2, 3, 4, 6];
    public static readonly double[] SpeedBounds = [8.3, 13.9, 22.2, 33.3];
    public static readonly double[] TemperatureBounds = [-10, 0, 10, 20, 30];
    public ulong[] Deceleration { get; } = new ulong[DecelerationBounds.Length + 1];
    public ulong[] Speeds { get; } = new ulong[SpeedBounds.Length + 1];
    public ulong[] Temperatures { get; } = new ulong[TemperatureBounds.Length + 1];

    private readonly double _factor = Math.Max(0, wearFactor);
    private DateTimeOffset _agedTo = now;
    private double _chargedKwh, _fastChargedKwh;

    public double BrakeFluidAgeDays(DateTimeOffset at) => Math.Max(0, (at - BrakeFluidChangedAt).TotalDays);

    /// <summary>A second (or less) of driving: <paramref name="speedBefore"/> to <paramref name="speedAfter"/> over <paramref name="distance"/> m.</summary>
    public void Drive(double dt, double distance, double speedBefore, double speedAfter, double outsideTemperature, bool hardBrake)
    {
        OperatingSeconds += dt;
        var deceleration = dt > 0 ? Math.Max(0, speedBefore - speedAfter) / dt : 0;
        if (hardBrake)
        {
            deceleration = Math.Max(deceleration, HardBrakingMps2 + 1.5);
        }
        Count(Deceleration, DecelerationBounds, deceleration);
        Count(Speeds, SpeedBounds, speedAfter);
        Count(Temperatures, TemperatureBounds, outsideTemperature);
        var km = distance / 1000;
        // Braking energy per kg (J/kg) turned into heat by the pads; an EV recuperates most of it.
        var brakingEnergy = 0.5 * Math.Max(0, speedBefore * speedBefore - speedAfter * speedAfter) + (hardBrake ? 0.5 * speedBefore * speedBefore * 3 : 0);
        var recuperation = Powertrain == Powertrain.Electric ? 0.35 : 1;
        var padWear = (km * 1.2e-3 * (Powertrain == Powertrain.Electric ? 0.6 : 1) + brakingEnergy * 2e-6 * recuperation) * _factor;
        PadsFront = Math.Min(100, PadsFront + padWear);
        PadsRear = Math.Min(100, PadsRear + padWear * 0.6);
        var cold = outsideTemperature < 0 ? 1.5 : 1;
        var style = hardBrake || deceleration > HardBrakingMps2 ? 3 : 1;
        for (var i = 0; i < 4; i++)
        {
            Tread[i] = Math.Max(0, Tread[i] - km / 8000 * (i < 2 ? 1.2 : 0.9) * style * _factor);
        }
        if (Powertrain == Powertrain.Combustion)
        {
            OilLife = Math.Max(0, OilLife - km / 15_000 * 100 * cold * _factor);
            OilLevel = Math.Max(0, OilLevel - km * 0.002 * _factor);
            AirFilter = Math.Max(0, AirFilter - km / 30_000 * 100 * _factor);
        }
        else
        {
            GearOil = Math.Max(0, GearOil - km / 160_000 * 100 * _factor);
        }
        CabinFilter = Math.Max(0, CabinFilter - km / 15_000 * 100 * _factor);
    }

    public void EngineStarted() => EngineStarts++;

    /// <summary>A drive ended: a short one is hard on oil and the 12 V battery (cold engine, little recharging).</summary>
    public void TripEnded(double distanceMetres, double outsideTemperature)
    {
        if (distanceMetres >= ShortTripMetres)
        {
            return;
        }
        ShortTrips++;
        var cold = outsideTemperature < 0 ? 2 : 1;
        if (Powertrain == Powertrain.Combustion)
        {
            OilLife = Math.Max(0, OilLife - 0.15 * cold * _factor);
        }
        Battery12V = Math.Max(0, Battery12V - 0.01 * cold * _factor);
    }

    /// <summary>The traction battery took <paramref name="kwh"/> at <paramref name="chargerKw"/>: cycles age it, fast charging more.</summary>
    public void Charged(double kwh, double capacityKwh, double chargerKw)
    {
        _chargedKwh += kwh;
        if (chargerKw > 50)
        {
            _fastChargedKwh += kwh;
        }
        var cycles = kwh / capacityKwh;
        ChargeCycles += cycles;
        TractionBattery = Math.Max(0, TractionBattery - cycles * 0.02 * (chargerKw > 50 ? 2 : 1) * _factor);
    }

    /// <summary>Calendar ageing up to <paramref name="now"/> (the clock moves whether the car drives or not).</summary>
    public void AgeTo(DateTimeOffset now, double outsideTemperature)
    {
        var days = (now - _agedTo).TotalDays;
        if (days <= 0)
        {
            return;
        }
        _agedTo = now;
        var cold = outsideTemperature < 0 ? 1.5 : 1;
        if (Powertrain == Powertrain.Combustion)
        {
            OilLife = Math.Max(0, OilLife - days / 365 * 100 * _factor);
        }
        CabinFilter = Math.Max(0, CabinFilter - days / 365 * 50 * _factor);
        Battery12V = Math.Max(0, Battery12V - days * 0.01 * cold * _factor);
        TractionBattery = Powertrain == Powertrain.Electric ? Math.Max(0, TractionBattery - days * 0.004 * _factor) : TractionBattery;
        CoolantLevel = Math.Max(0, CoolantLevel - days * 0.005 * _factor);
        for (var i = 0; i < 4; i++)
        {
            Pressure[i] = Math.Max(0, Pressure[i] - days * 0.05 * _factor);
        }
    }

    /// <summary>A workshop replaced or topped up everything.</summary>
    public void Serviced(DateTimeOffset now)
    {
        (PadsFront, PadsRear, OilLife, OilLevel, AirFilter, CabinFilter, GearOil, CoolantLevel) = (0, 0, 100, 95, 100, 100, 100, 98);
        BrakeFluidChangedAt = now;
        for (var i = 0; i < 4; i++)
        {
            (Pressure[i], Tread[i]) = (i < 2 ? 250 : 240, 8);
        }
    }

    /// <summary>The 12 V battery's resting voltage: a weaker battery holds less.</summary>
    public double Battery12VVoltage => Math.Round(11.6 + 1.1 * Battery12V / 100, 2);

    /// <summary>Every component this car has, with its condition now, by catalogue id.</summary>
    public IEnumerable<(ServiceComponent Component, double Value)> Conditions(DateTimeOffset now)
    {
        yield return (ComponentCatalog.BrakePadsFront, PadsFront);
        yield return (ComponentCatalog.BrakePadsRear, PadsRear);
        yield return (ComponentCatalog.BrakeFluidAge, BrakeFluidAgeDays(now));
        if (Powertrain == Powertrain.Combustion)
        {
            yield return (ComponentCatalog.EngineOilLevel, OilLevel);
            yield return (ComponentCatalog.EngineOilLife, OilLife);
            yield return (ComponentCatalog.AirFilter, AirFilter);
        }
        else
        {
            yield return (ComponentCatalog.ReductionGearOil, GearOil);
            yield return (ComponentCatalog.TractionBatteryHealth, TractionBattery);
        }
        yield return (ComponentCatalog.Battery12VHealth, Battery12V);
        yield return (ComponentCatalog.Battery12VVoltage, Battery12VVoltage);
        ServiceComponent[] pressures = [ComponentCatalog.TyrePressureFrontLeft, ComponentCatalog.TyrePressureFrontRight,
            ComponentCatalog.TyrePressureRearLeft, ComponentCatalog.TyrePressureRearRight];
        ServiceComponent[] treads = [ComponentCatalog.TyreTreadFrontLeft, ComponentCatalog.TyreTreadFrontRight,
            ComponentCatalog.TyreTreadRearLeft, ComponentCatalog.TyreTreadRearRight];
        for (var i = 0; i < 4; i++)
        {
            yield return (pressures[i], Pressure[i]);
            yield return (treads[i], Tread[i]);
        }
        yield return (ComponentCatalog.CoolantLevel, CoolantLevel);
        yield return (ComponentCatalog.CabinFilter, CabinFilter);
    }

    private static void Count(ulong[] counts, double[] bounds, double value)
    {
        var bin = 0;
        while (bin < bounds.Length && value > bounds[bin])
        {
            bin++;
        }
        counts[bin]++;
    }
}

/// <summary>The condition of the wear parts when the simulated car starts (a car with some history, for demos and tests).</summary>
public sealed record ServiceCondition
{
    /// <summary>%, 0 = new pads, 100 = worn to the limit.</summary>
    public double BrakePadsFrontWear { get; init; } = 12;
    public double BrakePadsRearWear { get; init; } = 8;
    public TimeSpan BrakeFluidAge { get; init; } = TimeSpan.FromDays(200);
    /// <summary>% remaining.</summary>
    public double OilLife { get; init; } = 80;
    /// <summary>% state of health.</summary>
    public double Battery12VHealth { get; init; } = 96;
    /// <summary>mm.</summary>
    public double TyreTread { get; init; } = 7;
}
