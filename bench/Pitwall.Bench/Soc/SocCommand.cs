using System.CommandLine;

namespace Pitwall.Bench.Soc;

/// <summary><c>pitwall-bench soc</c>: theft tracking to the SOC console under a normal fleet load (bench/README.md, section 4).</summary>
internal static class SocCommand
{
    public static Command Create(Option<string> work, Option<string> serverDll, Option<string> fleetSecret, Option<int> quietWait)
    {
        var theftCars = new Option<int>("--theft-cars") { Description = "Cars in theft mode (paired, Car Security bought), each sending a tracking message every --tracking-interval.", DefaultValueFactory = _ => 1000 };
        var trackingInterval = new Option<int>("--tracking-interval") { Description = "Seconds between a stolen car's tracking messages.", DefaultValueFactory = _ => 10 };
        var normalCars = new Option<int>("--normal-cars") { Description = "Normally reporting cars held connected (one WebSocket each; the machine allows 20 000 open files per process).", DefaultValueFactory = _ => 15_000 };
        var fleet = new Option<int>("--fleet") { Description = "Cars whose normal reporting the connected normal cars send together.", DefaultValueFactory = _ => 100_000 };
        var normalInterval = new Option<int>("--normal-interval") { Description = "\"Normally\": seconds between two periodic status reports of one car (pitwall-sim's default: 60).", DefaultValueFactory = _ => 60 };
        var operators = new Option<int>("--operators") { Description = "SOC operators, each with the live feed open.", DefaultValueFactory = _ => 1 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of load before measuring (the stolen cars' first messages open their cases).", DefaultValueFactory = _ => 30 };
        var duration = new Option<int>("--duration") { Description = "Seconds measured.", DefaultValueFactory = _ => 120 };
        var grace = new Option<int>("--grace") { Description = "Seconds after the window a measured frame's event may still arrive before it counts as lost.", DefaultValueFactory = _ => 10 };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 5331 };
        var serverEnv = new Option<string[]>("--server-env") { Description = "KEY=VALUE set for the pitwall process (repeatable).", AllowMultipleArgumentsPerToken = false };
        var soc = new Command("soc", "Theft tracking to the SOC console: cars in theft mode beside a normally reporting fleet; latency from the car's frame to the event on the SOC's live feed.")
        {
            theftCars, trackingInterval, normalCars, fleet, normalInterval, operators, warmup, duration, grace, port, serverEnv,
        };
        soc.SetAction((r, _) => SocBenchmark.RunAsync(new SocSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(fleetSecret)!, r.GetValue(theftCars), r.GetValue(normalCars),
            TimeSpan.FromSeconds(r.GetValue(trackingInterval)), r.GetValue(fleet), TimeSpan.FromSeconds(r.GetValue(normalInterval)), r.GetValue(operators),
            TimeSpan.FromSeconds(r.GetValue(warmup)), TimeSpan.FromSeconds(r.GetValue(duration)), TimeSpan.FromSeconds(r.GetValue(grace)), r.GetValue(port),
            ParseEnvironment(r.GetValue(serverEnv)), TimeSpan.FromSeconds(r.GetValue(quietWait)))));
        return soc;
    }

    private static Dictionary<string, string> ParseEnvironment(string[]? pairs) =>
        (pairs ?? []).Select(p => p.Split('=', 2)).ToDictionary(
            p => p[0], p => p.Length == 2 ? p[1] : throw new ArgumentException($"--server-env wants KEY=VALUE, not '{p[0]}'."), StringComparer.Ordinal);
}
