namespace Pitwall.Simulator;

/// <summary>
/// Remote climatisation (REQUIREMENTS C6): runs up to 30 minutes towards a target temperature, drawing 3 kW from an
/// EV's battery; refuses to start below 15 % and stops below 14 %, keeping a reserve for driving. Only touched under the owning vehicle's lock.
/// </summary>
internal sealed class ClimateSystem
{
    public const double MinStartLevel = 15, StopLevel = 14, DrawKw = 3;
    private static readonly TimeSpan MaxRun = TimeSpan.FromMinutes(30);

    public bool Active { get; private set; }
    public double TargetTemperature { get; private set; } = 21;
    public double OutsideTemperature { get; set; } = 8;
    public double CabinTemperature { get; private set; } = 8;
    public string Zones { get; private set; } = "front_left,front_right";
    public TimeSpan Remaining { get; private set; }
    /// <summary>requested, timeout, low_battery or driving; empty before the first stop.</summary>
    public string StopReason { get; private set; } = "";
    public CarTimers Timers { get; } = new();

    public void Start(double target, string? zones)
    {
        Active = true;
        TargetTemperature = target;
        Zones = string.IsNullOrEmpty(zones) ? "front_left,front_right" : zones;
        Remaining = MaxRun;
        StopReason = "";
    }

    public void Stop(string reason)
    {
        Active = false;
        Remaining = TimeSpan.Zero;
        StopReason = reason;
    }

    /// <returns>True when climatisation stopped by itself (timeout).</returns>
    public bool Advance(double dt)
    {
        var goal = Active ? TargetTemperature : OutsideTemperature;
        var rate = Active ? 0.05 : 0.002; // °C per second
        CabinTemperature += Math.Clamp(goal - CabinTemperature, -rate * dt, rate * dt);
        if (!Active)
        {
            return false;
        }
        Remaining -= TimeSpan.FromSeconds(dt);
        if (Remaining > TimeSpan.Zero)
        {
            return false;
        }
        Stop("timeout");
        return true;
    }
}
