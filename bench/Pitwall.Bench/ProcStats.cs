using System.Diagnostics;
using System.Globalization;

namespace Pitwall.Bench;

/// <summary>What Linux says about a process (from /proc): resident memory, CPU time, open files.</summary>
internal static class ProcStats
{
    /// <summary>Resident set size in KiB (VmRSS), or -1 when the process is gone.</summary>
    /// <summary>The machine's 1-minute load average (/proc/loadavg).</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    public static long RssKb(int pid) => StatusKb(pid, "VmRSS:");

    /// <summary>Peak resident set size in KiB (VmHWM).</summary>
    public static long PeakRssKb(int pid) => StatusKb(pid, "VmHWM:");

    public static TimeSpan CpuTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (ArgumentException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>CPU time of a process and all its living descendants (PostgreSQL: the postmaster and its backends).</summary>
    public static TimeSpan TreeCpuTime(int root) => Tree(root).Aggregate(TimeSpan.Zero, (sum, pid) => sum + CpuTime(pid));

    /// <summary>Resident set size in KiB of a process and all its living descendants (nginx: the master and its workers).</summary>
    public static long TreeRssKb(int root) => Tree(root).Sum(pid => Math.Max(0, RssKb(pid)));

    /// <summary>The process and its living descendants.</summary>
    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    var text = File.ReadAllText(Path.Combine(directory, "stat"));
                    parents[pid] = int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
                {
                }
            }
        }
        bool Below(int pid)
        {
            for (var depth = 0; depth < 16 && pid > 1; depth++)
            {
                if (pid == root)
                {
                    return true;
                }
                if (!parents.TryGetValue(pid, out pid))
                {
                    return false;
                }
            }
            return false;
        }
        return [.. parents.Keys.Where(Below)];
    }

    public static int OpenFiles(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>Busy and total jiffies of the whole machine (first line of /proc/stat).</summary>
    public static (long Busy, long Total) MachineCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }

    private static long StatusKb(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var number = line[key.Length..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return -1;
    }
}

/// <summary>CPU use of a set of processes and of the machine between two points in time.</summary>
internal sealed class CpuMeter
{
    private readonly int[] _pids;
    private readonly TimeSpan[] _start;
    private readonly (long Busy, long Total) _machineStart;
    private readonly long _startTicks = Stopwatch.GetTimestamp();

    private readonly Func<int, TimeSpan> _read;

    public CpuMeter(params int[] pids)
        : this(ProcStats.CpuTime, pids)
    {
    }

    /// <param name="read">CPU time of one of <paramref name="pids"/> (e.g. <see cref="ProcStats.TreeCpuTime"/> for a process tree).</param>
    public CpuMeter(Func<int, TimeSpan> read, params int[] pids)
    {
        _read = read;
        _pids = pids;
        _start = pids.Select(read).ToArray();
        _machineStart = ProcStats.MachineCpu();
    }

    /// <returns>Cores used by each process (CPU seconds per wall second), and by the whole machine.</returns>
    public (double[] Cores, double MachineCores) Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;
        var cores = _pids.Select((pid, i) => (_read(pid) - _start[i]).TotalSeconds / wall).ToArray();
        var machine = ProcStats.MachineCpu();
        var busy = machine.Busy - _machineStart.Busy;
        var total = machine.Total - _machineStart.Total;
        return (cores, total <= 0 ? 0 : Environment.ProcessorCount * (double)busy / total);
    }
}

/// <summary>
/// CPU used by processes that are not this benchmark (nor its children, nor kernel threads) — another build or test
/// run on the machine would make every figure here too low, so each measurement reports it and waits for quiet first.
/// </summary>
internal sealed class OtherLoad
{
    private const double TicksPerSecond = 100; // USER_HZ
    private readonly Dictionary<int, long> _start;
    private readonly long _startTicks = Stopwatch.GetTimestamp();

    public OtherLoad() => _start = Sample();

    /// <returns>Cores used by other processes since this meter was made.</returns>
    public double Cores()
    {
        var end = Sample();
        long ticks = 0;
        foreach (var (pid, total) in end)
        {
            ticks += total - _start.GetValueOrDefault(pid);
        }
        return ticks / TicksPerSecond / Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;
    }

    /// <summary>Waits (at most <paramref name="maxWait"/>) until other processes use less than 0.15 cores over 3 s (twice in a row).</summary>
    public static async Task<double> WaitQuietAsync(TimeSpan maxWait, TextWriter log)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(maxWait.TotalSeconds * Stopwatch.Frequency);
        var said = false;
        var quiet = 0;
        while (true)
        {
            // Nothing of ours runs while we wait: whatever the machine does (a short-lived compiler included) is someone else's.
            var meter = new OtherLoad();
            var machine = new CpuMeter(Environment.ProcessId);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var (self, machineCores) = machine.Stop();
            var busy = Math.Max(meter.Cores(), machineCores - self[0]);
            quiet = busy < 0.15 ? quiet + 1 : 0;
            if (quiet == 2)
            {
                return busy;
            }
            if (busy < 0.15)
            {
                continue;
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  WARNING: other processes still use {busy:F2} cores; measuring anyway (figures will be low)."));
                return busy;
            }
            if (!said)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  waiting for the machine to go quiet: other processes use {busy:F2} cores …"));
                said = true;
            }
        }
    }

    /// <summary>utime+stime of every process that is neither a kernel thread nor this process or one of its descendants.</summary>
    private static Dictionary<int, long> Sample()
    {
        var self = Environment.ProcessId;
        var stats = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var text = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                stats[pid] = (parent, ticks);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }
        bool Ours(int pid)
        {
            for (var depth = 0; depth < 64 && pid > 1; depth++)
            {
                if (pid == self)
                {
                    return true;
                }
                if (!stats.TryGetValue(pid, out var stat))
                {
                    return false;
                }
                pid = stat.Parent;
            }
            return false;
        }
        return stats.Where(s => s.Key != 2 && s.Value.Parent != 2 && !Ours(s.Key)).ToDictionary(s => s.Key, s => s.Value.Ticks);
    }
}
