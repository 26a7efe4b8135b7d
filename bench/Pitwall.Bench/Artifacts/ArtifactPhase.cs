using System.Diagnostics;
using System.Globalization;

namespace Pitwall.Bench.Artifacts;

/// <summary>A server process measured in a phase: its CPU and its resident memory (the process and its children).</summary>
internal sealed record MeasuredProcess(string Name, int Pid);

/// <summary>Resident memory of one process tree in a phase, KiB.</summary>
internal sealed record PhaseMemory(string Name, long BeforeKb, long PeakKb, long AfterKb)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} {BeforeKb / 1024} → peak {PeakKb / 1024} → {AfterKb / 1024} MiB");
}

/// <summary>What one server set-up did: its download rounds, the polls answered meanwhile, the cores of each of its processes,
/// of the machine and of other processes, and each process's memory.</summary>
internal sealed record PhaseResult(
    string Name, IReadOnlyList<DownloadRound> Rounds, double PollsPerSecond, long PollFailures, IReadOnlyList<(string Name, double Cores)> Cores, double Machine,
    double Other, IReadOnlyList<PhaseMemory> Memory)
{
    public double MegabytesPerSecond => Rounds.Average(r => r.MegabytesPerSecond);

    public int Failures => Rounds.Sum(r => r.Failures);
}

/// <summary>One column of the artifact benchmark: after a warm-up (one poll per poller, eight downloads, then the pollers polling and
/// <c>--warmup-rounds</c> full download rounds that are not counted), the download rounds against one set-up (with pollers, if any,
/// throughout), with CPU measured over the counted rounds and memory sampled from before the warm-up rounds to the end.</summary>
internal static class ArtifactPhase
{
    public static async Task<PhaseResult> RunAsync(
        string name, ArtifactsSettings s, HttpClient http, long size, Func<int, string> urlOf, IReadOnlyList<string> pollUrls, IReadOnlyList<MeasuredProcess> processes)
    {
        // Warm-up (a freshly started server compiles its code first): every poller polls once, a few cars download the file.
        await Parallel.ForEachAsync(pollUrls, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (url, ct) =>
            (await http.GetAsync(url, ct)).EnsureSuccessStatusCode());
        await ArtifactLoad.DownloadAsync(http, 8, size, urlOf, CancellationToken.None);
        await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        var before = processes.Select(p => ProcStats.TreeRssKb(p.Pid)).ToArray();
        var peak = before.ToArray();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
            {
                for (var i = 0; i < processes.Count; i++)
                {
                    peak[i] = Math.Max(peak[i], ProcStats.TreeRssKb(processes[i].Pid));
                }
            }
        });
        using var polling = new CancellationTokenSource();
        var pollers = ArtifactLoad.PollAsync(http, pollUrls, s.PollInterval, polling.Token);
        var started = Stopwatch.GetTimestamp();
        // Warm-up rounds, not counted: the full load (every downloader, the pollers) until the servers' and the client's code,
        // buffers and page cache are warm (the first rounds of 2-8 s ran 25-35 % slower in every set-up).
        for (var round = 0; round < s.WarmupRounds; round++)
        {
            Console.WriteLine($"  {name} warm-up round {round + 1}: {Describe(await ArtifactLoad.DownloadAsync(http, s.Downloaders, size, urlOf, CancellationToken.None))}");
        }
        var others = new OtherLoad();
        var cpu = new CpuMeter(ProcStats.TreeCpuTime, [.. processes.Select(p => p.Pid)]);
        var rounds = new List<DownloadRound>();
        for (var round = 0; round < s.Rounds; round++)
        {
            rounds.Add(await ArtifactLoad.DownloadAsync(http, s.Downloaders, size, urlOf, CancellationToken.None));
            Console.WriteLine($"  {name} round {round + 1}: {Describe(rounds[^1])}; load average {ProcStats.LoadAverage()}");
        }
        var (cores, machine) = cpu.Stop();
        var other = others.Cores();
        await polling.CancelAsync();
        var (polls, pollFailures) = await pollers;
        var pollSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await sampling.CancelAsync();
        await sampler.ContinueWith(_ => { }, TaskScheduler.Default);
        var memory = processes.Select((p, i) => new PhaseMemory(p.Name, before[i], peak[i], ProcStats.TreeRssKb(p.Pid))).ToList();
        return new PhaseResult(name, rounds, pollUrls.Count == 0 ? 0 : polls / pollSeconds, pollFailures,
            [.. processes.Select((p, i) => (p.Name, cores[i]))], machine, other, memory);
    }

    public static string Describe(DownloadRound r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Bytes / (1024 * 1024)} MiB in {r.Seconds:F1} s = {r.MegabytesPerSecond:F0} MiB/s, {r.Failures} failed");

    /// <summary>One line of the summary.</summary>
    public static string Line(PhaseResult r, double nginxRate)
    {
        var inv = CultureInfo.InvariantCulture;
        var polls = r.PollsPerSecond > 0 ? string.Create(inv, $"{r.PollsPerSecond:F0} polls/s ({r.PollFailures} failed); ") : "no polls; ";
        var cores = string.Join(", ", r.Cores.Select(c => string.Create(inv, $"{c.Name} {c.Cores:F2} ({c.Cores / (r.MegabytesPerSecond / 1024):F2} CPU s per GiB)")));
        return string.Create(inv,
            $"  {r.Name,-22} {r.MegabytesPerSecond,6:F0} MiB/s = {100 * r.MegabytesPerSecond / nginxRate,3:F0} % of nginx ({r.Failures} failed); {polls}cores {cores}, machine {r.Machine:F2}, other processes {r.Other:F2}; RSS {string.Join(", ", r.Memory)}");
    }
}
