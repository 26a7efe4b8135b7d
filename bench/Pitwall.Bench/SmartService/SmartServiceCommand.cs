using System.CommandLine;
using System.Globalization;

namespace Pitwall.Bench.SmartService;

/// <summary><c>pitwall-bench smart-service</c>: the Smart Service's daily service-log intake and prediction (bench/README.md, section 5).</summary>
internal static class SmartServiceCommand
{
    public static Command Create(Option<string> work, Option<string> serverDll, Option<string> fleetSecret, Option<int> quietWait)
    {
        var cars = new Option<int>("--cars") { Description = "Cars, each sending one daily service log (20 components, 5 faults).", DefaultValueFactory = _ => 100_000 };
        var days = new Option<int>("--days") { Description = "Days measured, one after the other (intake, then the prediction job).", DefaultValueFactory = _ => 2 };
        var history = new Option<int>("--history-days") { Description = "Days of condition history each car has before the first measured day (filled directly, not timed).", DefaultValueFactory = _ => 14 };
        var wave = new Option<int>("--wave") { Description = "Links open at once; the cars come in waves of this many (also the ceiling's batch).", DefaultValueFactory = _ => 2000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Logins (challenge + WebSocket upgrade) in flight while a wave opens.", DefaultValueFactory = _ => 32 };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 5341 };
        var serverEnv = new Option<string[]>("--server-env") { Description = "KEY=VALUE set for the pitwall process (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("smart-service", "Smart Service: a day's service logs of the whole fleet over the vehicle link and the prediction job over them, beside the raw insert ceiling.")
        {
            cars, days, history, wave, concurrency, port, serverEnv,
        };
        command.SetAction((r, _) => ServiceLogBenchmark.RunAsync(new ServiceLogSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(fleetSecret)!, r.GetValue(cars), r.GetValue(days), r.GetValue(history), r.GetValue(wave),
            r.GetValue(concurrency), r.GetValue(port), (r.GetValue(serverEnv) ?? []).Select(p => p.Split('=', 2)).ToDictionary(
                p => p[0], p => p.Length == 2 ? p[1] : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--server-env wants KEY=VALUE, not '{p[0]}'.")),
                StringComparer.Ordinal),
            TimeSpan.FromSeconds(r.GetValue(quietWait)))));
        return command;
    }
}
