using System.CommandLine;
using System.Net;

namespace Pitwall.Bench;

/// <summary>
/// <c>pitwall-bench ingest | connections | commands | soc | smart-service | breakdown | artifacts | cluster-commands | cluster-ingest | charging</c> run the vehicle-link benchmarks (bench/README.md);
/// <c>ack-server</c> and <c>hold</c> are the helper processes they start.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => Create().Parse(args).InvokeAsync();

    private static RootCommand Create()
    {
        var work = new Option<string>("--work") { Description = "Directory for databases, logs and results.", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "pitwall-bench"), Recursive = true };
        var serverDll = new Option<string>("--server-dll") { Description = "The pitwall server to measure.", DefaultValueFactory = _ => PitwallServer.DefaultDll(), Recursive = true };
        var fleetSecret = new Option<string>("--fleet-secret") { Description = "Fleet secret the cars' secrets are derived from.", DefaultValueFactory = _ => Fleet.DefaultSecret, Recursive = true };
        var quietWait = new Option<int>("--quiet-wait") { Description = "Seconds to wait, before each measurement, for other processes to leave the CPU alone.", DefaultValueFactory = _ => 600, Recursive = true };
        var root = new RootCommand("Pitwall vehicle-link benchmarks.") { work, serverDll, fleetSecret, quietWait };

        var connections = new Option<int>("--connections") { Description = "Simulated cars (one WebSocket each).", DefaultValueFactory = _ => 500 };
        var window = new Option<int>("--window") { Description = "Unacked reports each car keeps in flight.", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch") { Description = "Reports per batch in the SQLite ceiling (the server's IngestBatchSize).", DefaultValueFactory = _ => 4000 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of load before measuring.", DefaultValueFactory = _ => 10 };
        var duration = new Option<int>("--duration") { Description = "Seconds measured.", DefaultValueFactory = _ => 30 };
        var sqliteWarmup = new Option<int>("--sqlite-warmup") { DefaultValueFactory = _ => 5 };
        var sqliteDuration = new Option<int>("--sqlite-duration") { DefaultValueFactory = _ => 20 };
        var port = new Option<int>("--port") { Description = "First loopback port to use.", DefaultValueFactory = _ => 5301 };
        var serverEnv = new Option<string[]>("--server-env") { Description = "KEY=VALUE set for the pitwall process in the end-to-end run (repeatable), e.g. DOTNET_gcServer=0.", AllowMultipleArgumentsPerToken = false };
        var pitwallBinary = new Option<bool>("--pitwall-binary") { Description = "Measure (c) on the pitwall.dll binary instead of the instrumented host (no batch counts; the SQLite ceiling then uses full batches)." };
        var only = new Option<string>("--only") { Description = "all, or one or more of sqlite, websocket and e2e separated by commas (e2e,websocket: the end-to-end ratio to the ack-only ceiling).", DefaultValueFactory = _ => "all" };
        only.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>() ?? "";
            if (value != "all" && value.Split(',', StringSplitOptions.TrimEntries).Any(part => part is not ("sqlite" or "websocket" or "e2e")))
            {
                result.AddError($"--only takes all, or sqlite, websocket and e2e separated by commas, not '{value}'.");
            }
        });
        var ingestRate = new Option<double>("--rate") { Description = "Reports per second for the whole fleet, each car paced (0: as fast as the window allows). For the ack latency below saturation." };
        var ingest = new Command("ingest", "End-to-end ingest rate and its two ceilings.") { connections, window, batch, warmup, duration, sqliteWarmup, sqliteDuration, port, only, serverEnv, pitwallBinary, ingestRate };
        ingest.SetAction((r, _) => IngestBenchmark.RunAsync(new IngestSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(fleetSecret)!, r.GetValue(connections), r.GetValue(window), r.GetValue(batch),
            TimeSpan.FromSeconds(r.GetValue(warmup)), TimeSpan.FromSeconds(r.GetValue(duration)),
            TimeSpan.FromSeconds(r.GetValue(sqliteWarmup)), TimeSpan.FromSeconds(r.GetValue(sqliteDuration)), r.GetValue(port), r.GetValue(only)!,
            ParseEnvironment(r.GetValue(serverEnv)), !r.GetValue(pitwallBinary), TimeSpan.FromSeconds(r.GetValue(quietWait)), r.GetValue(ingestRate))));

        var count = new Option<int>("--count") { Description = "Idle connections to open.", DefaultValueFactory = _ => 19_500 };
        var warmupConnections = new Option<int>("--warmup-connections") { Description = "Connections opened before the baseline is taken.", DefaultValueFactory = _ => 500 };
        var holders = new Option<int>("--holders") { Description = "Client processes (each with its own loopback address) for the rest.", DefaultValueFactory = _ => 4 };
        var concurrency = new Option<int>("--concurrency") { Description = "Handshakes in flight per client process.", DefaultValueFactory = _ => 16 };
        var idle = new Option<int>("--idle") { Description = "Seconds the connections stay idle before the final reading.", DefaultValueFactory = _ => 45 };
        var connectionsPort = new Option<int>("--port") { DefaultValueFactory = _ => 5311 };
        var serverGc = new Option<bool>("--server-gc") { Description = "Run pitwall with server GC (its default); false sets DOTNET_gcServer=0.", DefaultValueFactory = _ => true };
        var gcProbe = new Option<bool>("--gc-probe") { Description = "Run the instrumented host (same composition) and also report its live managed heap after forced full GCs." };
        var storm = new Option<bool>("--storm") { Description = "After the idle reading: kill and restart the server and time the cars' return (reconnect storm).", DefaultValueFactory = _ => true };
        var stormTimeout = new Option<int>("--storm-timeout") { Description = "Seconds the reconnect storm may take at most.", DefaultValueFactory = _ => 300 };
        var idleCommand = new Command("connections", "Concurrent idle connections and the server's memory per connection; then the reconnect storm after a restart.")
        {
            count, warmupConnections, holders, concurrency, idle, connectionsPort, serverGc, gcProbe, storm, stormTimeout,
        };
        idleCommand.SetAction((r, _) => ConnectionsBenchmark.RunAsync(new ConnectionSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(fleetSecret)!, r.GetValue(count), r.GetValue(warmupConnections), r.GetValue(holders),
            r.GetValue(concurrency), TimeSpan.FromSeconds(r.GetValue(idle)), r.GetValue(connectionsPort), r.GetValue(serverGc), r.GetValue(gcProbe), TimeSpan.FromSeconds(r.GetValue(quietWait)),
            r.GetValue(storm), TimeSpan.FromSeconds(r.GetValue(stormTimeout)))));

        var cars = new Option<int>("--cars") { Description = "Simulated cars (one WebSocket each), each paired to an owner.", DefaultValueFactory = _ => 1000 };
        var owners = new Option<int>("--owners") { Description = "Owner accounts, one event stream each; 0: cars / 10 (Pitwall allows 10 pairings per account per hour).", DefaultValueFactory = _ => 0 };
        var rate = new Option<double>("--rate") { Description = "Commands per second, open loop, spread over the cars.", DefaultValueFactory = _ => 1000 };
        var commandWarmup = new Option<int>("--warmup") { Description = "Seconds of load before measuring.", DefaultValueFactory = _ => 5 };
        var commandDuration = new Option<int>("--duration") { Description = "Seconds measured.", DefaultValueFactory = _ => 20 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds a command may take before it counts as timed out (its car then takes the next one).", DefaultValueFactory = _ => 10 };
        var type = new Option<string>("--type") { Description = "Command type: honk_flash, flash or lock.", DefaultValueFactory = _ => "honk_flash" };
        type.AcceptOnlyFromAmong("honk_flash", "flash", "lock");
        var httpConnections = new Option<int>("--http-connections")
        {
            Description = "Most HTTP/1.1 connections the apps' client opens for the POSTs; 0: one per car, so that no POST waits for a connection here.",
            DefaultValueFactory = _ => 0,
        };
        var commandsPort = new Option<int>("--port") { DefaultValueFactory = _ => 5321 };
        var commandsServerEnv = new Option<string[]>("--server-env") { Description = "KEY=VALUE set for the pitwall process (repeatable).", AllowMultipleArgumentsPerToken = false };
        var reuseSetup = new Option<bool>("--reuse-setup")
        {
            Description = "Start from the cars and owners an earlier run in the same work directory prepared (a copy; the server migrates it), instead of creating them again.",
        };
        var commands = new Command("commands", "Remote-command round trip (API call → car → outcome on the app's event stream): p50 and p99 at a given rate.")
        {
            cars, owners, rate, commandWarmup, commandDuration, timeout, type, httpConnections, commandsPort, commandsServerEnv, reuseSetup,
        };
        commands.SetAction((r, _) => CommandsBenchmark.RunAsync(new CommandSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(fleetSecret)!, r.GetValue(cars), r.GetValue(owners), r.GetValue(rate),
            TimeSpan.FromSeconds(r.GetValue(commandWarmup)), TimeSpan.FromSeconds(r.GetValue(commandDuration)), TimeSpan.FromSeconds(r.GetValue(timeout)),
            r.GetValue(type)!, r.GetValue(commandsPort), r.GetValue(httpConnections), ParseEnvironment(r.GetValue(commandsServerEnv)),
            TimeSpan.FromSeconds(r.GetValue(quietWait)), r.GetValue(reuseSetup))));

        var urls = new Option<string>("--urls") { Required = true };
        var ackServer = new Command("ack-server", "(helper) The ack-only WebSocket endpoint of the WebSocket ceiling.") { urls };
        ackServer.SetAction((r, ct) => AckServer.RunAsync(r.GetValue(urls)!, ct));

        var database = new Option<string>("--database") { Description = "SQLite file.", Required = true };
        var instrumented = new Command("serve-instrumented", "(helper) Pitwall as `pitwall serve` composes it, printing the IngestWriter's batch counts.") { urls, database };
        instrumented.SetAction((r, ct) => InstrumentedServer.RunAsync(r.GetValue(urls)!, r.GetValue(database)!, ct));

        var url = new Option<string>("--url") { Required = true };
        var first = new Option<int>("--first") { Required = true };
        var holdCount = new Option<int>("--count") { Required = true };
        var source = new Option<string>("--source") { Description = "Loopback address to connect from.", DefaultValueFactory = _ => "127.0.0.1" };
        var holdConcurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 16 };
        var maxSeconds = new Option<int>("--max-seconds") { Description = "Exit after this long even if standard input stays open.", DefaultValueFactory = _ => 3600 };
        var reconnect = new Option<bool>("--reconnect") { Description = "A car whose link drops comes back (with pitwall-sim's back-off), sends a report and waits for its ack." };
        var hold = new Command("hold", "(helper) Open idle vehicle links from one loopback address and keep them open.")
        {
            url, first, holdCount, source, holdConcurrency, maxSeconds, reconnect,
        };
        hold.SetAction((r, _) => IdleHolder.RunAsync(new Uri(r.GetValue(url)!), r.GetValue(first), r.GetValue(holdCount), IPAddress.Parse(r.GetValue(source)!),
            r.GetValue(fleetSecret)!, r.GetValue(holdConcurrency), TimeSpan.FromSeconds(r.GetValue(maxSeconds)), r.GetValue(reconnect)));

        root.Subcommands.Add(ingest);
        root.Subcommands.Add(idleCommand);
        root.Subcommands.Add(commands);
        root.Subcommands.Add(Soc.SocCommand.Create(work, serverDll, fleetSecret, quietWait));
        root.Subcommands.Add(SmartService.SmartServiceCommand.Create(work, serverDll, fleetSecret, quietWait));
        root.Subcommands.Add(Breakdown.BreakdownCommand.Create(work, serverDll, fleetSecret, quietWait));
        root.Subcommands.Add(Artifacts.ArtifactsCommand.Create(work, serverDll, quietWait));
        foreach (var command in Cluster.ClusterCommand.Create(work, serverDll, fleetSecret, quietWait))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(Charging.ChargingCommand.Create(work, serverDll, quietWait));
        root.Subcommands.Add(ackServer);
        root.Subcommands.Add(instrumented);
        root.Subcommands.Add(hold);
        return root;
    }

    internal static Dictionary<string, string> ParseEnvironment(string[]? pairs) =>
        (pairs ?? []).Select(p => p.Split('=', 2)).ToDictionary(
            p => p[0], p => p.Length == 2 ? p[1] : throw new ArgumentException($"--server-env wants KEY=VALUE, not '{p[0]}'."), StringComparer.Ordinal);
}
