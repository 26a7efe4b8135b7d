using System.CommandLine;

namespace Pitwall.Bench.Breakdown;

/// <param name="Callers">Cars that raise the calls (paired to owners, the breakdown call active); they also answer live diagnoses.</param>
/// <param name="CallRate">Calls per second over all callers, breakdown and emergency calls alternately.</param>
/// <param name="LiveRate">Live-diagnosis requests per second by the agent.</param>
/// <param name="NormalCars">Normally reporting cars held connected (they carry the fleet's reports in the loaded phase).</param>
internal sealed record BreakdownSettings(
    string WorkDirectory, string ServerDll, string FleetSecret, int Callers, double CallRate, double LiveRate, int NormalCars, int FleetEquivalent,
    TimeSpan NormalInterval, TimeSpan Warmup, TimeSpan Duration, TimeSpan Grace, int Port, IReadOnlyDictionary<string, string> ServerEnvironment,
    TimeSpan QuietWait)
{
    /// <summary>Status reports per second of the whole fleet reporting normally, all sent by the <see cref="NormalCars"/>.</summary>
    public double NormalRate => FleetEquivalent / NormalInterval.TotalSeconds;
}

/// <summary><c>pitwall-bench breakdown</c>: breakdown and emergency calls to the assistance centre's live queue, and the live-diagnosis
/// round trip, without and with a normal fleet load (bench/README.md, section 6).</summary>
internal static class BreakdownCommand
{
    public static Command Create(Option<string> work, Option<string> serverDll, Option<string> fleetSecret, Option<int> quietWait)
    {
        var callers = new Option<int>("--callers") { Description = "Cars that raise the calls (paired, 10 per owner) and answer live diagnoses.", DefaultValueFactory = _ => 200 };
        var callRate = new Option<double>("--call-rate") { Description = "Calls per second over all callers, breakdown and emergency calls alternately.", DefaultValueFactory = _ => 4 };
        var liveRate = new Option<double>("--live-rate") { Description = "Live-diagnosis requests per second by the agent (each on a breakdown case it claims).", DefaultValueFactory = _ => 1 };
        var normalCars = new Option<int>("--normal-cars") { Description = "Normally reporting cars held connected (the machine allows 20 000 open files per process).", DefaultValueFactory = _ => 15_000 };
        var fleet = new Option<int>("--fleet") { Description = "Cars whose normal reporting the connected normal cars send together in the loaded phase.", DefaultValueFactory = _ => 100_000 };
        var normalInterval = new Option<int>("--normal-interval") { Description = "\"Normally\": seconds between two periodic status reports of one car (pitwall-sim's default: 60).", DefaultValueFactory = _ => 60 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of load before measuring, in each phase.", DefaultValueFactory = _ => 20 };
        var duration = new Option<int>("--duration") { Description = "Seconds measured in each phase.", DefaultValueFactory = _ => 60 };
        var grace = new Option<int>("--grace") { Description = "Seconds after the window a measured call's case may still reach the queue before it counts as lost.", DefaultValueFactory = _ => 10 };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 5351 };
        var serverEnv = new Option<string[]>("--server-env") { Description = "KEY=VALUE set for the pitwall process (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("breakdown", "Breakdown and emergency calls from cars to the assistance centre's live queue, and the live-diagnosis round trip: first with the fleet's links idle, then beside its normal reports.")
        {
            callers, callRate, liveRate, normalCars, fleet, normalInterval, warmup, duration, grace, port, serverEnv,
        };
        command.SetAction((r, _) => BreakdownBenchmark.RunAsync(new BreakdownSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(fleetSecret)!, r.GetValue(callers), r.GetValue(callRate), r.GetValue(liveRate), r.GetValue(normalCars),
            r.GetValue(fleet), TimeSpan.FromSeconds(r.GetValue(normalInterval)), TimeSpan.FromSeconds(r.GetValue(warmup)), TimeSpan.FromSeconds(r.GetValue(duration)),
            TimeSpan.FromSeconds(r.GetValue(grace)), r.GetValue(port), Program.ParseEnvironment(r.GetValue(serverEnv)), TimeSpan.FromSeconds(r.GetValue(quietWait)))));
        return command;
    }
}
