using System.Diagnostics;

namespace Pitwall.Bench.Soc;

/// <summary>
/// The time line of an open-loop load (SOC, breakdown call): a warm-up, the measuring window, a grace time for the last events; and
/// the readings of the window — the CPU of this client and of Pitwall, what other processes took, the load average at its start and end.
/// The pacer calls <see cref="Begins"/> and <see cref="Ends"/> on every turn; each is true once.
/// </summary>
internal sealed class LoadWindow(TimeSpan warmup, TimeSpan duration, TimeSpan grace, int serverPid)
{
    private CpuMeter? _cpu;
    private OtherLoad? _other;
    private bool _ended;

    public long Start { get; } = Stopwatch.GetTimestamp();

    public long MeasureStart => Start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);

    public long MeasureEnd => MeasureStart + (long)(duration.TotalSeconds * Stopwatch.Frequency);

    public long GraceEnd => MeasureEnd + (long)(grace.TotalSeconds * Stopwatch.Frequency);

    public double ServerCores { get; private set; }

    public double ClientCores { get; private set; }

    public double MachineCores { get; private set; }

    public double OtherCores { get; private set; }

    public string LoadBefore { get; private set; } = "";

    public string LoadAfter { get; private set; } = "";

    public bool Measuring(long now) => now >= MeasureStart && now < MeasureEnd;

    /// <summary>True at the first turn inside the window: the readings start.</summary>
    public bool Begins(long now)
    {
        if (!Measuring(now) || _cpu is not null)
        {
            return false;
        }
        (_cpu, _other, LoadBefore) = (new CpuMeter(Environment.ProcessId, serverPid), new OtherLoad(), ProcStats.LoadAverage());
        return true;
    }

    /// <summary>True at the first turn after the window: the readings stop.</summary>
    public bool Ends(long now)
    {
        if (now < MeasureEnd || _ended || _cpu is null || _other is null)
        {
            return false;
        }
        _ended = true;
        var (cores, machine) = _cpu.Stop();
        (ClientCores, ServerCores, MachineCores) = (cores[0], cores[1], machine);
        OtherCores = Math.Max(_other.Cores(), machine - cores.Sum());
        return true;
    }

    /// <summary>The load average once the load is over.</summary>
    public void Finish() => LoadAfter = ProcStats.LoadAverage();
}
