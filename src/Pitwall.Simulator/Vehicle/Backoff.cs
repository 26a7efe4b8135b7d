namespace Pitwall.Simulator;

/// <summary>Exponential reconnect back-off with jitter, so that a fleet does not return to a restarted server in lockstep.</summary>
internal static class Backoff
{
    /// <returns>A delay between half and all of min × 2^attempt, capped at max.</returns>
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, SimRandom random)
    {
        var cap = min.TotalSeconds * Math.Pow(2, Math.Min(attempt, 30));
        cap = Math.Min(cap, max.TotalSeconds);
        return TimeSpan.FromSeconds(cap * random.Between(0.5, 1.0));
    }
}
