using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Pitwall.Bench.Artifacts;

/// <summary>
/// Artifact serving (issue 22's speed), three set-ups in one run: Pitwall serves a <c>--size</c> MiB artifact over hawkBit DDI to
/// <c>--downloaders</c> cars at once, each in two byte ranges, while <c>--pollers</c> cars poll every <c>--poll-interval</c> seconds; then
/// the same behind Debian's nginx with the shipped deploy/nginx/pitwall-updates.conf (Pitwall authorises, nginx sends the file:
/// <c>AcceleratedDownloads</c>); then nginx alone serves the very file (Pitwall's content-addressed copy, same disk) to the same
/// downloaders. Reported: bytes/s of each, the cores and memory (before, peak, after) of each server process, and the cores of
/// the machine and of other processes (the machine is shared).
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
        var size = (long)s.ArtifactMegabytes * 1024 * 1024;
        var pollUrls = Enumerable.Range(0, s.Pollers).Select(i => $"/DEFAULT/controller/v1/poll-{i:D5}").ToList();
        static string DownloadUrl(int i, string module) => $"/DEFAULT/controller/v1/dl-{i:D4}/softwaremodules/{module}/artifacts/image.swu";

        // 1. Pitwall streams the bytes itself (Kestrel), the pollers polling it.
        string moduleId, sha256;
        PhaseResult? direct = null;
        using (var pitwall = await server.StartAsync(s.Port, database, "artifacts-server", environment))
        {
            using var http = Client(s.Port, s.Downloaders + s.Pollers);
            (moduleId, sha256) = await PrepareAsync(http, s, size);
            Console.WriteLine($"  artifact: {s.ArtifactMegabytes} MiB, sha256 {sha256[..16]}…; {s.Pollers} pollers, {s.Downloaders} downloaders registered");
            if (s.Setups.Contains("direct"))
            {
                direct = await ArtifactPhase.RunAsync("pitwall direct", s, http, size, i => DownloadUrl(i, moduleId), pollUrls, [new("pitwall", pitwall.Id)]);
            }
        }

        // 2. The production set-up: nginx in front (the shipped configuration); Pitwall authorises every request and answers the
        //    downloads with X-Accel-Redirect, nginx sends the file. Pollers and downloaders all go through nginx.
        PhaseResult? front = null;
        if (s.Setups.Contains("front"))
        {
            environment["Pitwall__SoftwareUpdates__AcceleratedDownloads__Enabled"] = "true";
            environment["Pitwall__Http__TrustedProxies__0"] = "127.0.0.1";
            using var pitwall = await server.StartAsync(s.Port, database, "artifacts-server-accelerated", environment);
            using var nginx = NginxServer.StartFront(s.Nginx, work, $"127.0.0.1:{s.Port}", store, s.FrontPort);
            await nginx.WaitHealthyAsync(new Uri($"http://127.0.0.1:{s.FrontPort}/health/live"), TimeSpan.FromSeconds(30));
            using var http = Client(s.FrontPort, s.Downloaders + s.Pollers);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("GatewayToken", GatewayToken);
            front = await ArtifactPhase.RunAsync("pitwall behind nginx", s, http, size, i => DownloadUrl(i, moduleId), pollUrls,
                [new("pitwall", pitwall.Id), new("nginx", nginx.Id)]);
        }

        // 3. nginx alone serves Pitwall's content-addressed file (same disk) to the same downloaders with the same ranges, no polls
        //    (always: the reference).
        PhaseResult alone;
        using (var nginx = NginxServer.StartStatic(s.Nginx, work, store, s.NginxPort))
        {
            await nginx.WaitHealthyAsync(new Uri($"http://127.0.0.1:{s.NginxPort}/health"), TimeSpan.FromSeconds(30));
            using var http = Client(s.NginxPort, s.Downloaders);
            alone = await ArtifactPhase.RunAsync("nginx alone", s, http, size, _ => $"/sha256/{sha256[..2]}/{sha256}", [], [new("nginx", nginx.Id)]);
        }

        List<string> lines =
            [
                string.Create(CultureInfo.InvariantCulture,
                    $"artifacts: {s.Downloaders} downloads of {s.ArtifactMegabytes} MiB at once (2 byte ranges each), {s.Rounds} counted round(s) per set-up after {s.WarmupRounds} warm-up round(s); "
                    + $"{s.Pollers} pollers every {s.PollInterval.TotalSeconds:F0} s during the Pitwall set-ups"),
                .. new[] { direct, front, alone }.OfType<PhaseResult>().Select(r => ArtifactPhase.Line(r, alone.MegabytesPerSecond)),
                "  target: >= 80 % of nginx alone with flat memory",
                $"  load average (1 min) at the end: {ProcStats.LoadAverage()}",
            ];
        var summary = string.Join(Environment.NewLine, lines);
        Console.WriteLine(summary);
        await File.WriteAllTextAsync(Path.Combine(s.WorkDirectory, "artifacts-summary.txt"), summary + Environment.NewLine);
        return 0;
    }

    private static HttpClient Client(int port, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10),
        };

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
