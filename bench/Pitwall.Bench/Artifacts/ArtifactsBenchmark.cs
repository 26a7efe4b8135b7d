using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Pitwall.Bench.Artifacts;

/// <summary>
/// Artifact serving (issue 22's speed): Pitwall serves a <c>--size</c> MiB artifact over hawkBit DDI to <c>--downloaders</c> cars at
/// once, each in two byte ranges, while <c>--pollers</c> cars poll every <c>--poll-interval</c> seconds; then Debian's nginx serves the
/// very file (Pitwall's content-addressed copy, same disk) to the same downloaders. Reported: bytes/s of each, Pitwall's memory
/// before, at its peak and after, and the machine's load average (other processes share it).
/// </summary>
internal static class ArtifactsBenchmark
{
    private const string GatewayToken = "pitwall-bench-gateway";
    private const string AdminEmail = "admin@bench.pitwall.dev";

    public static async Task<int> RunAsync(ArtifactsSettings s)
    {
        var work = Directory.CreateDirectory(Path.Combine(s.WorkDirectory, "artifacts")).FullName;
        var database = Path.Combine(work, "artifacts.db");
        var store = Path.Combine(work, "store");
        PitwallServer.DeleteDatabase(database);
        if (Directory.Exists(store))
        {
            Directory.Delete(store, recursive: true);
        }
        var server = new PitwallServer(s.ServerDll, work);
        await RunToolAsync(server, work, "migrate", ["migrate", "--database", $"Data Source={database}"]);
        await RunToolAsync(server, work, "create-admin", ["admin", "create-user", "--email", AdminEmail, "--name", "Bench Admin", "--role", "admin",
            "--password", Owners.Password, "--database", $"Data Source={database}"]);
        var environment = new Dictionary<string, string>
        {
            ["Pitwall__SoftwareUpdates__ArtifactDirectory"] = store,
            ["Pitwall__SoftwareUpdates__GatewayToken"] = GatewayToken,
            ["Pitwall__SoftwareUpdates__PollingSleep"] = $"00:00:{(int)s.PollInterval.TotalSeconds:D2}",
            ["Pitwall__Http__AuthRequestsPerMinute"] = "100000",
        };
        using var pitwall = await server.StartAsync(s.Port, database, "artifacts-server", environment);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = s.Downloaders + s.Pollers, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri($"http://127.0.0.1:{s.Port}"), Timeout = TimeSpan.FromMinutes(10) };
        var size = (long)s.ArtifactMegabytes * 1024 * 1024;
        var (moduleId, sha256) = await PrepareAsync(http, s, size);
        Console.WriteLine($"  artifact: {s.ArtifactMegabytes} MiB, sha256 {sha256[..16]}…; {s.Pollers} pollers, {s.Downloaders} downloaders registered");

        await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        var rssBefore = ProcStats.RssKb(pitwall.Id);
        long rssPeak = rssBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
            {
                rssPeak = Math.Max(rssPeak, ProcStats.RssKb(pitwall.Id));
            }
        });
        using var polling = new CancellationTokenSource();
        var pollers = ArtifactLoad.PollAsync(http, [.. Enumerable.Range(0, s.Pollers).Select(i => $"/DEFAULT/controller/v1/poll-{i:D5}")], s.PollInterval, polling.Token);
        var load = Stopwatch.GetTimestamp();
        var pitwallOthers = new OtherLoad();
        var pitwallCpu = new CpuMeter(ProcStats.TreeCpuTime, pitwall.Id);
        var pitwallRounds = new List<DownloadRound>();
        for (var round = 0; round < s.Rounds; round++)
        {
            pitwallRounds.Add(await ArtifactLoad.DownloadAsync(http, s.Downloaders, size,
                i => $"/DEFAULT/controller/v1/dl-{i:D4}/softwaremodules/{moduleId}/artifacts/image.swu", CancellationToken.None));
            Console.WriteLine($"  pitwall round {round + 1}: {Describe(pitwallRounds[^1])}; load average {ProcStats.LoadAverage()}");
        }
        var (pitwallCores, pitwallMachine) = pitwallCpu.Stop();
        var pitwallOther = pitwallOthers.Cores();
        await polling.CancelAsync();
        var (polls, pollFailures) = await pollers;
        var pollSeconds = Stopwatch.GetElapsedTime(load).TotalSeconds;
        await sampling.CancelAsync();
        await sampler.ContinueWith(_ => { }, TaskScheduler.Default);
        var rssAfter = ProcStats.RssKb(pitwall.Id);

        var (nginxRounds, nginxCores, nginxMachine, nginxOther) = await NginxAsync(s, work, store, sha256, size);
        var pitwallRate = pitwallRounds.Average(r => r.MegabytesPerSecond);
        var nginxRate = nginxRounds.Average(r => r.MegabytesPerSecond);
        var summary = string.Join(Environment.NewLine,
            $"artifacts: {s.Downloaders} downloads of {s.ArtifactMegabytes} MiB at once (2 byte ranges each), {s.Rounds} round(s) per server",
            string.Create(CultureInfo.InvariantCulture, $"  pitwall: {pitwallRate:F0} MiB/s ({Failures(pitwallRounds)} failed) while {polls / pollSeconds:F0} polls/s answered ({pollFailures} failed)"),
            string.Create(CultureInfo.InvariantCulture, $"  nginx:   {nginxRate:F0} MiB/s ({Failures(nginxRounds)} failed), no polls"),
            string.Create(CultureInfo.InvariantCulture, $"  ratio:   {100 * pitwallRate / nginxRate:F0} % of nginx (target >= 80 %)"),
            $"  pitwall memory (RSS): {rssBefore / 1024} MiB before, {rssPeak / 1024} MiB peak, {rssAfter / 1024} MiB after",
            string.Create(CultureInfo.InvariantCulture,
                $"  cores while pitwall served: pitwall {pitwallCores[0]:F2}, machine {pitwallMachine:F2}, other processes {pitwallOther:F2}"),
            string.Create(CultureInfo.InvariantCulture,
                $"  cores while nginx served:   nginx {nginxCores:F2}, machine {nginxMachine:F2}, other processes {nginxOther:F2}"),
            $"  load average (1 min) at the end: {ProcStats.LoadAverage()}");
        Console.WriteLine(summary);
        await File.WriteAllTextAsync(Path.Combine(s.WorkDirectory, "artifacts-summary.txt"), summary + Environment.NewLine);
        return 0;
    }

    private static string Describe(DownloadRound r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Bytes / (1024 * 1024)} MiB in {r.Seconds:F1} s = {r.MegabytesPerSecond:F0} MiB/s, {r.Failures} failed");

    private static int Failures(IEnumerable<DownloadRound> rounds) => rounds.Sum(r => r.Failures);

    /// <summary>Signs in as the administrator, uploads the artifact (a module and a set), registers every poller and downloader
    /// with the gateway token (their first poll) and assigns the set to the downloaders.</summary>
    private static async Task<(string ModuleId, string Sha256)> PrepareAsync(HttpClient http, ArtifactsSettings s, long size)
    {
        var admin = await Owners.SignInAsync(http, AdminEmail, CancellationToken.None);
        async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent content)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Authorization = admin;
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
        }
        var module = await SendAsync(HttpMethod.Post, "/api/v1/admin/software/modules", JsonContent.Create(new { name = "bench-image", version = $"{Guid.NewGuid():N}", kind = "os" }));
        var moduleId = module.GetProperty("id").GetString()!;
        var bytes = new byte[size];
        new Random(22).NextBytes(bytes); // incompressible, as an image is
        var artifact = await SendAsync(HttpMethod.Put, $"/api/v1/admin/software/modules/{moduleId}/artifacts/image.swu", new ByteArrayContent(bytes)
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") },
        });
        var sha256 = artifact.GetProperty("sha256").GetString()!;
        if (sha256 != Convert.ToHexStringLower(SHA256.HashData(bytes)))
        {
            throw new InvalidOperationException("The stored artifact's SHA-256 is not the uploaded one's.");
        }
        var set = await SendAsync(HttpMethod.Post, "/api/v1/admin/software/sets",
            JsonContent.Create(new { name = "Bench image", version = $"{Guid.NewGuid():N}", updateKind = "feature", modules = new[] { moduleId } }));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("GatewayToken", GatewayToken);
        var controllers = Enumerable.Range(0, s.Downloaders).Select(i => $"dl-{i:D4}").Concat(Enumerable.Range(0, s.Pollers).Select(i => $"poll-{i:D5}")).ToList();
        await Parallel.ForEachAsync(controllers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            (await http.GetAsync($"/DEFAULT/controller/v1/{id}", ct)).EnsureSuccessStatusCode());
        await SendAsync(HttpMethod.Post, $"/api/v1/admin/software/sets/{set.GetProperty("id").GetString()}/assignments",
            JsonContent.Create(new { targets = controllers.Take(s.Downloaders), type = "soft" }));
        return (moduleId, sha256);
    }

    /// <summary>Debian's nginx serving Pitwall's artifact directory (the content-addressed file itself) to the same downloaders.</summary>
    /// <returns>The rounds, nginx's cores (master and workers), the machine's and other processes' cores while they ran.</returns>
    private static async Task<(List<DownloadRound> Rounds, double Cores, double Machine, double Other)> NginxAsync(
        ArtifactsSettings s, string work, string store, string sha256, long size)
    {
        using var nginx = NginxServer.Start(s.Nginx, work, store, s.NginxPort);
        await nginx.WaitHealthyAsync(new Uri($"http://127.0.0.1:{s.NginxPort}/health"), TimeSpan.FromSeconds(30));
        var others = new OtherLoad();
        var cpu = new CpuMeter(ProcStats.TreeCpuTime, nginx.Id);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = s.Downloaders };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{s.NginxPort}"), Timeout = TimeSpan.FromMinutes(10) };
        var rounds = new List<DownloadRound>();
        for (var round = 0; round < s.Rounds; round++)
        {
            rounds.Add(await ArtifactLoad.DownloadAsync(http, s.Downloaders, size, _ => $"/sha256/{sha256[..2]}/{sha256}", CancellationToken.None));
            Console.WriteLine($"  nginx round {round + 1}: {Describe(rounds[^1])}; load average {ProcStats.LoadAverage()}");
        }
        var (cores, machine) = cpu.Stop();
        return (rounds, cores[0], machine, others.Cores());
    }

    private static async Task RunToolAsync(PitwallServer server, string work, string name, string[] arguments)
    {
        using var tool = ChildProcess.Start(ChildProcess.DotnetHost(), [server.ServerDll, .. arguments], PitwallServer.BenchmarkEnvironment(), work,
            Path.Combine(work, $"{name}.log"));
        if (!await tool.WaitForExitAsync(TimeSpan.FromMinutes(5)))
        {
            throw new TimeoutException($"{name} did not finish; see {tool.LogPath}.");
        }
    }
}
