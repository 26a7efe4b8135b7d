using System.CommandLine;
using System.Globalization;

namespace Pitwall.Bench.Cluster;

/// <summary><c>pitwall-bench cluster-commands</c> and <c>cluster-ingest</c> (bench/README.md §8): issue 19's scale-out figures.</summary>
internal static class ClusterCommand
{
    public static IEnumerable<Command> Create(Option<string> work, Option<string> serverDll, Option<string> fleetSecret, Option<int> quietWait)
    {
        var warmup = new Option<int>("--warmup") { Description = "Seconds of load before measuring.", DefaultValueFactory = _ => 5 };
        var duration = new Option<int>("--duration") { Description = "Seconds measured.", DefaultValueFactory = _ => 15 };
        var serverEnv = new Option<string[]>("--server-env") { Description = "KEY=VALUE set for every pitwall instance (repeatable).", AllowMultipleArgumentsPerToken = false };

        var cars = new Option<int>("--cars") { Description = "Simulated cars, 10 per owner.", DefaultValueFactory = _ => 300 };
        var rates = new Option<string>("--rates") { Description = "Commands per second, comma-separated; each is run in both set-ups.", DefaultValueFactory = _ => "500" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds a command may take before it counts as timed out.", DefaultValueFactory = _ => 10 };
        var type = new Option<string>("--type") { DefaultValueFactory = _ => "honk_flash" };
        type.AcceptOnlyFromAmong("honk_flash", "flash", "lock");
        var commandsPort = new Option<int>("--port") { Description = "First of six loopback ports.", DefaultValueFactory = _ => 5341 };
        var commands = new Command("cluster-commands",
            "Command round trip across instances (three behind HAProxy on PostgreSQL + NATS; owners on A, cars on B and C) beside the one-instance figure.")
        {
            cars, rates, warmup, duration, timeout, type, commandsPort, serverEnv,
        };
        commands.SetAction((r, _) => ClusterCommandsBenchmark.RunAsync(new ClusterCommandSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(fleetSecret)!, r.GetValue(cars),
            [.. r.GetValue(rates)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture))],
            TimeSpan.FromSeconds(r.GetValue(warmup)), TimeSpan.FromSeconds(r.GetValue(duration)), TimeSpan.FromSeconds(r.GetValue(timeout)), r.GetValue(type)!,
            r.GetValue(commandsPort), Program.ParseEnvironment(r.GetValue(serverEnv)), TimeSpan.FromSeconds(r.GetValue(quietWait)))));

        var profiles = new Option<string>("--profiles") { Description = "CONNECTIONSxWINDOW profiles, space- or comma-separated.", DefaultValueFactory = _ => "500x256,4000x4" };
        var ingestPort = new Option<int>("--port") { Description = "First of six loopback ports.", DefaultValueFactory = _ => 5351 };
        var ingest = new Command("cluster-ingest", "Ingest on PostgreSQL through HAProxy: one instance, then three, per profile.")
        {
            profiles, warmup, duration, ingestPort, serverEnv,
        };
        ingest.SetAction((r, _) => ClusterIngestBenchmark.RunAsync(new ClusterIngestSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(fleetSecret)!,
            [.. r.GetValue(profiles)!.Split([',', ' '], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p =>
            {
                var parts = p.Split('x');
                return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
            })],
            TimeSpan.FromSeconds(r.GetValue(warmup)), TimeSpan.FromSeconds(r.GetValue(duration)), r.GetValue(ingestPort),
            Program.ParseEnvironment(r.GetValue(serverEnv)), TimeSpan.FromSeconds(r.GetValue(quietWait)))));
        return [commands, ingest];
    }
}
