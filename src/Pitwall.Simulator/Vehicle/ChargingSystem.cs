namespace Pitwall.Simulator;

/// <summary>
/// An EV's charging (REQUIREMENTS C7): cable, plug lock, state, limit and a charging curve — the battery takes up to
/// 150 kW below 50 %, tapering to 50 kW at 80 % and 7 kW at 100 %, never more than the charger gives. Only touched
/// under the owning vehicle's lock.
/// </summary>
internal sealed class ChargingSystem
{
    public const double CapacityKwh = 80;

    public bool CableConnected { get; private set; }
    public bool CableLocked { get; private set; }
    /// <summary>charging, not_charging, complete, waiting_for_deferred_start or error.</summary>
    public string State { get; private set; } = "not_charging";
    /// <summary>Why charging last ended: requested, target_reached, unplugged, power_loss, error; empty before.</summary>
    public string StopReason { get; private set; } = "";
    /// <summary>Target state of charge, %.</summary>
    public double Limit { get; set; } = 80;
    public double ChargerKw { get; private set; }
    public double PowerW { get; private set; }
    public CarTimers Timers { get; } = new();

    public bool IsCharging => State == "charging";

    /// <summary>immediate, or deferred while a charge timer decides when charging starts.</summary>
    public string Mode => Timers.Count > 0 ? "deferred" : "immediate";

    /// <summary>What the battery accepts at <paramref name="level"/> %, kW.</summary>
    public static double AcceptanceKw(double level) => level switch
    {
        < 50 => 150,
        < 80 => 150 - (level - 50) / 30 * 100,
        _ => 50 - (Math.Min(level, 100) - 80) / 20 * 43,
    };

    public double PowerKwAt(double level) => Math.Min(ChargerKw, AcceptanceKw(level));

    /// <summary>Seconds until <see cref="Limit"/> along the curve; 0 when not charging.</summary>
    public double SecondsToComplete(double level)
    {
        if (!IsCharging || ChargerKw <= 0)
        {
            return 0;
        }
        const double step = 0.5;
        var seconds = 0.0;
        for (var l = level; l < Limit; l += step)
        {
            seconds += Math.Min(step, Limit - l) / 100 * CapacityKwh / PowerKwAt(l) * 3600;
        }
        return Math.Round(seconds);
    }

    /// <summary>Plugs in; a cable that locks starts charging at once, or waits for a timer in deferred mode.</summary>
    public void PlugIn(double chargerKw, bool locks, double level)
    {
        CableConnected = true;
        CableLocked = locks;
        ChargerKw = chargerKw;
        if (locks)
        {
            if (Mode == "deferred")
            {
                State = "waiting_for_deferred_start";
            }
            else
            {
                Start(level, Limit);
            }
        }
    }

    public void Unplug()
    {
        if (IsCharging || State == "waiting_for_deferred_start")
        {
            Stop("unplugged");
        }
        CableConnected = CableLocked = false;
        ChargerKw = 0;
        if (State != "error")
        {
            State = "not_charging";
        }
    }

    /// <returns>Null when charging started (or the battery is already at its limit), else why not.</returns>
    public string? TryStart(double level, double limit, bool driving)
    {
        if (driving)
        {
            return "driving";
        }
        if (!CableConnected)
        {
            return "not_plugged";
        }
        if (!CableLocked)
        {
            return "plug_not_locked";
        }
        if (State == "error")
        {
            return "charging_error";
        }
        Start(level, limit);
        return null;
    }

    public void Stop(string reason)
    {
        State = reason == "target_reached" ? "complete" : "not_charging";
        StopReason = reason;
        PowerW = 0;
    }

    /// <summary>The charger reports a fault: charging stops until the cable is plugged in again.</summary>
    public void Fault()
    {
        Stop("error");
        State = "error";
    }

    /// <summary>Advances <paramref name="dt"/> seconds of charging from <paramref name="level"/>; returns the new level.</summary>
    public double Charge(double level, double dt)
    {
        if (!IsCharging)
        {
            return level;
        }
        var kw = PowerKwAt(level);
        PowerW = kw * 1000;
        level = Math.Min(Limit, level + kw * dt / 3600 / CapacityKwh * 100);
        if (level >= Limit)
        {
            Stop("target_reached");
        }
        return level;
    }

    private void Start(double level, double limit)
    {
        Limit = Math.Clamp(limit, 25, 100);
        if (level >= Limit)
        {
            Stop("target_reached");
            return;
        }
        State = "charging";
        StopReason = "";
        PowerW = PowerKwAt(level) * 1000;
    }
}
