using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Pitwall.Bench;

internal sealed record ConnectionSettings(
    string WorkDirectory, string ServerDll, string FleetSecret, int Count, int WarmupConnections, int Holders, int Concurrency,
    TimeSpan Idle, int Port, bool ServerGc, bool GcProbe, TimeSpan QuietWait, bool Storm, TimeSpan StormTimeout);

/// <summary>
/// (2) Concurrent idle connections: <c>pitwall serve</c> as its own process; authenticated vehicle links opened by
/// several client processes from different loopback addresses; the server's resident memory (VmRSS) before and after,
/// once the connections have been idle for a while; memory per connection = growth / connections. Then (unless
/// <c>--storm false</c>) the reconnect storm after a server restart, <see cref="ReconnectStorm"/>.
/// </summary>
internal static partial class ConnectionsBenchmark
{
    public static async Task<int> RunAsync(ConnectionSettings s)
    {
        Directory.CreateDirectory(s.WorkDirectory);
        var server = new PitwallServer(s.ServerDll, s.WorkDirectory);
        Console.WriteLine($"Open files per process: the hard limit here is {HardOpenFileLimit()} (soft {SoftOpenFileLimit()}); the server holds {s.Count} sockets.");
        Console.WriteLine($"Preparing a database with {s.Count} registered cars (pitwall admin vehicle-import) …");
        var template = await server.CreateTemplateAsync("connections-template", s.Count, s.FleetSecret);
        var path = Path.Combine(s.WorkDirectory, "connections.db");
        PitwallServer.CopyDatabase(template, path);

        await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        var gc = (s.ServerGc ? "server GC (as shipped)" : "workstation GC (DOTNET_gcServer=0)") + (s.GcProbe ? ", instrumented host with GC probes" : "");
        Console.WriteLine($"Starting {(s.GcProbe ? "serve-instrumented" : "pitwall serve")} with {gc} …");
        var environment = s.ServerGc ? null : new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" };
        TaskCompletionSource<long>? heapAnswer = null;
        using var pitwall = await server.StartAsync(s.Port, path, "pitwall-connections", environment, instrumented: s.GcProbe,
            onLine: line =>
            {
                if (line.StartsWith(InstrumentedServer.HeapPrefix, StringComparison.Ordinal))
                {
                    var live = line.Split(' ').First(p => p.StartsWith("live_bytes=", StringComparison.Ordinal))["live_bytes=".Length..];
                    heapAnswer?.TrySetResult(long.Parse(live, CultureInfo.InvariantCulture));
                }
            },
            keepStdinOpen: s.GcProbe);
        // With --gc-probe (instrumented host only): a full GC in the server, then its live managed heap in KiB; after the RSS reading.
        async Task<long> LiveHeapKbAsync()
        {
            if (!s.GcProbe)
            {
                return -1;
            }
            heapAnswer = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            pitwall.WriteLine("gc");
            return await heapAnswer.Task.WaitAsync(TimeSpan.FromSeconds(120)) / 1024;
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
        var rssStart = ProcStats.RssKb(pitwall.Id);
        var liveStart = await LiveHeapKbAsync();
        var filesStart = ProcStats.OpenFiles(pitwall.Id);
        Console.WriteLine($"  server pid {pitwall.Id}: RSS {Mb(rssStart)} after start, {filesStart} open files");

        var holders = new List<Holder>();
        try
        {
            // A warm-up batch first, so the baseline includes JIT, pools and caches that the first connections create.
            var warmup = StartHolder(s, 0, 0, s.WarmupConnections, holders);
            await WaitReadyAsync([warmup], TimeSpan.FromMinutes(10));
            await Task.Delay(TimeSpan.FromSeconds(10));
            var rssBase = ProcStats.RssKb(pitwall.Id);
            var liveBase = await LiveHeapKbAsync();
            Console.WriteLine($"  {warmup.Connected} warm-up connections: RSS {Mb(rssBase)}");

            var rest = s.Count - s.WarmupConnections;
            var started = Stopwatch.GetTimestamp();
            var next = s.WarmupConnections;
            var batch = new List<Holder>();
            for (var h = 1; h <= s.Holders; h++)
            {
                var share = rest / s.Holders + (h <= rest % s.Holders ? 1 : 0);
                batch.Add(StartHolder(s, h, next, share, holders));
                next += share;
            }
            await WaitReadyAsync(batch, TimeSpan.FromMinutes(30), () =>
                Console.WriteLine($"  {holders.Sum(x => x.Connected)} connected, {holders.Sum(x => x.Failed)} failed; server RSS {Mb(ProcStats.RssKb(pitwall.Id))}, {ProcStats.OpenFiles(pitwall.Id)} open files"));
            var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var connected = holders.Sum(x => x.Connected);
            var failed = holders.Sum(x => x.Failed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {connected} connected ({failed} failed) in {connectSeconds:F0} s = {(connected - warmup.Connected) / connectSeconds:F0} connections/s; idling {s.Idle.TotalSeconds:F0} s …"));

            var idleEnd = Stopwatch.GetTimestamp() + (long)(s.Idle.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < idleEnd)
            {
                await Task.Delay(TimeSpan.FromSeconds(10));
                Console.WriteLine($"  idle: server RSS {Mb(ProcStats.RssKb(pitwall.Id))}, {ProcStats.OpenFiles(pitwall.Id)} open files, {holders.Sum(x => x.Connected - x.Closed)} open on the clients");
            }
            var rssAfter = ProcStats.RssKb(pitwall.Id);
            var peak = ProcStats.PeakRssKb(pitwall.Id);
            var files = ProcStats.OpenFiles(pitwall.Id);
            var open = holders.Sum(x => x.Connected - x.Closed);
            var serverAlive = !pitwall.HasExited;
            var measured = open - warmup.Connected;
            var perConnection = measured > 0 ? (rssAfter - rssBase) / (double)measured : double.NaN;
            var perConnectionAll = open > 0 ? (rssAfter - rssStart) / (double)open : double.NaN;
            var liveAfter = await LiveHeapKbAsync();
            var rssAfterGc = s.GcProbe ? ProcStats.RssKb(pitwall.Id) : -1;
            var livePerConnection = s.GcProbe && measured > 0 ? (liveAfter - liveBase) / (double)measured : double.NaN;

            Console.WriteLine();
            Console.WriteLine($"Idle connections ({Environment.ProcessorCount} cores; {gc}; {s.Holders + 1} client processes on 127.0.0.1-{s.Holders + 1}; idle {s.Idle.TotalSeconds:F0} s; target 50,000 at < 30 KB each)");
            Table.Print(["measurement", "value", "", "notes"],
            [
                ["connections held open after idling", open.ToString("N0", CultureInfo.InvariantCulture), "", $"{failed} failed to connect; server alive: {serverAlive}; server open files {files} (limit {HardOpenFileLimit()})"],
                ["server RSS after start", Mb(rssStart), "", "no connections"],
                ["server RSS with warm-up connections", Mb(rssBase), "", $"{warmup.Connected} connections"],
                ["server RSS after idling", Mb(rssAfter), "", $"peak {Mb(peak)}"],
                ["RSS per connection (growth after warm-up)", Kb(perConnection), "", $"({Mb(rssAfter)} - {Mb(rssBase)}) / {measured}"],
                ["RSS per connection (growth from start)", Kb(perConnectionAll), "", $"({Mb(rssAfter)} - {Mb(rssStart)}) / {open}"],
                .. (s.GcProbe
                    ? new[]
                    {
                        new[] { "live managed heap after a forced full GC", Mb(liveAfter), "", $"{Mb(liveStart)} at start, {Mb(liveBase)} with the warm-up connections" },
                        new[] { "live managed heap per connection", Kb(livePerConnection), "", $"({Mb(liveAfter)} - {Mb(liveBase)}) / {measured}" },
                        new[] { "server RSS after the forced GC", Mb(rssAfterGc), "", "" },
                    }
                    : []),
                ["connection set-up rate", ((connected - warmup.Connected) / connectSeconds).ToString("N0", CultureInfo.InvariantCulture) + "/s", "", "challenge + upgrade + hello/welcome"],
            ]);
            var results = new
            {
                machine = new { cores = Environment.ProcessorCount, openFilesHardLimit = HardOpenFileLimit() },
                settings = new { s.Count, s.WarmupConnections, s.Holders, idleSeconds = s.Idle.TotalSeconds, s.ServerGc },
                open, failed, serverAlive, files, rssStartKb = rssStart, rssBaseKb = rssBase, rssAfterKb = rssAfter, peakKb = peak,
                kbPerConnection = perConnection, kbPerConnectionFromStart = perConnectionAll, connectSeconds,
                liveStartKb = liveStart, liveBaseKb = liveBase, liveAfterKb = liveAfter, rssAfterGcKb = rssAfterGc, liveKbPerConnection = livePerConnection,
            };
            var json = Path.Combine(s.WorkDirectory, $"connections-results{(s.ServerGc ? "" : "-workstation-gc")}{(s.GcProbe ? "-gc-probe" : "")}.json");
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            Console.WriteLine($"Results: {json}");
            var stormComplete = true;
            if (s.Storm && serverAlive)
            {
                var storm = await ReconnectStorm.RunAsync(s, server, pitwall, path, holders, open);
                var stormJson = Path.Combine(s.WorkDirectory, "reconnect-storm-results.json");
                await File.WriteAllTextAsync(stormJson, JsonSerializer.Serialize(storm, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
                Console.WriteLine($"Results: {stormJson}");
                stormComplete = holders.Sum(h => h.Acked) >= open;
            }
            return open >= s.Count * 0.99 && serverAlive && stormComplete ? 0 : 1;
        }
        finally
        {
            foreach (var holder in holders)
            {
                holder.Process.CloseInput();
            }
            foreach (var holder in holders)
            {
                await holder.Process.WaitForExitAsync(TimeSpan.FromSeconds(20));
                holder.Process.Dispose();
            }
        }
    }

    private static Holder StartHolder(ConnectionSettings s, int index, int first, int count, List<Holder> all)
    {
        var (fileName, prefix) = ChildProcess.Self();
        var holder = new Holder();
        holder.Process = ChildProcess.Start(fileName,
            [
                .. prefix, "hold", "--url", $"http://127.0.0.1:{s.Port}", "--first", first.ToString(CultureInfo.InvariantCulture),
                "--count", count.ToString(CultureInfo.InvariantCulture), "--source", $"127.0.0.{index + 1}", "--fleet-secret", s.FleetSecret,
                "--concurrency", s.Concurrency.ToString(CultureInfo.InvariantCulture), .. (s.Storm ? new[] { "--reconnect" } : []),
            ],
            new Dictionary<string, string>(), s.WorkDirectory, Path.Combine(s.WorkDirectory, $"holder-{index}.log"), holder.OnLine, keepStdinOpen: true);
        all.Add(holder);
        return holder;
    }

    private static async Task WaitReadyAsync(IReadOnlyList<Holder> holders, TimeSpan timeout, Action? progress = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var nextProgress = Stopwatch.GetTimestamp();
        while (!holders.All(h => h.Ready))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("The client processes did not connect in time.");
            }
            if (holders.FirstOrDefault(h => h.Process.HasExited && !h.Ready) is { } dead)
            {
                throw new InvalidOperationException($"A client process exited early; see {dead.Process.LogPath}:{Environment.NewLine}{dead.Process.Tail()}");
            }
            if (progress is not null && Stopwatch.GetTimestamp() >= nextProgress)
            {
                progress();
                nextProgress = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
            }
            await Task.Delay(250);
        }
    }

    private static string Mb(long kb) => kb < 0 ? "?" : (kb / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";

    private static string Kb(double kb) => double.IsNaN(kb) ? "?" : kb.ToString("N1", CultureInfo.InvariantCulture) + " KiB";

    private static string HardOpenFileLimit() => Limit(3);

    private static string SoftOpenFileLimit() => Limit(2);

    /// <summary>"Max open files" of /proc/self/limits: column 2 soft, 3 hard.</summary>
    private static string Limit(int column)
    {
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return line is null ? "?" : Spaces().Split(line["Max open files".Length..].Trim())[column - 2];
    }

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();

    internal sealed partial class Holder
    {
        public ChildProcess Process { get; set; } = null!;
        public volatile bool Ready;
        private int _connected;
        private int _failed;
        private int _closed;
        private int _back;
        private int _acked;
        private int _retries;
        private long _lastAckedAtMs;

        public int Connected => Volatile.Read(ref _connected);
        public int Failed => Volatile.Read(ref _failed);
        public int Closed => Volatile.Read(ref _closed);
        public int Back => Volatile.Read(ref _back);
        public int Acked => Volatile.Read(ref _acked);
        public int Retries => Volatile.Read(ref _retries);
        public long LastAckedAtMs => Volatile.Read(ref _lastAckedAtMs);

        public void OnLine(string line)
        {
            var match = Counts().Match(line);
            if (!match.Success)
            {
                return;
            }
            foreach (var (name, value) in new[] { ("connected", match.Groups["connected"]), ("failed", match.Groups["failed"]), ("closed", match.Groups["closed"]) })
            {
                if (value.Success)
                {
                    var number = int.Parse(value.Value, CultureInfo.InvariantCulture);
                    switch (name)
                    {
                        case "connected": Volatile.Write(ref _connected, number); break;
                        case "failed": Volatile.Write(ref _failed, number); break;
                        default: Volatile.Write(ref _closed, number); break;
                    }
                }
            }
            var storm = Storm().Match(line);
            if (storm.Success)
            {
                Volatile.Write(ref _back, int.Parse(storm.Groups["back"].Value, CultureInfo.InvariantCulture));
                Volatile.Write(ref _acked, int.Parse(storm.Groups["acked"].Value, CultureInfo.InvariantCulture));
                Volatile.Write(ref _retries, int.Parse(storm.Groups["retries"].Value, CultureInfo.InvariantCulture));
                Volatile.Write(ref _lastAckedAtMs, long.Parse(storm.Groups["last"].Value, CultureInfo.InvariantCulture));
            }
            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                Ready = true;
            }
        }

        [GeneratedRegex(@"^(status|ready|exit) connected=(?<connected>\d+)( failed=(?<failed>\d+))?( closed=(?<closed>\d+))?")]
        private static partial Regex Counts();

        [GeneratedRegex(@" back=(?<back>\d+) acked=(?<acked>\d+) retries=(?<retries>\d+) last_ack_ms=(?<last>\d+)")]
        private static partial Regex Storm();
    }
}
