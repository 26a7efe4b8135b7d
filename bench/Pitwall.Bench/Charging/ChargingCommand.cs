using System.CommandLine;

namespace Pitwall.Bench.Charging;

/// <summary><c>pitwall-bench charging</c>: the Charging Service's three figures (issue 23, bench/README.md §9).</summary>
internal static class ChargingCommand
{
    public static Command Create(Option<string> work, Option<string> serverDll, Option<int> quietWait)
    {
        var accounts = new Option<int>("--accounts") { Description = "Accounts, each with a car, the Charging Service and an RFID card.", DefaultValueFactory = _ => 100_000 };
        var perAccount = new Option<int>("--cdrs-per-account") { Description = "CDRs per account in the invoiced month.", DefaultValueFactory = _ => 20 };
        var rate = new Option<double>("--auth-rate") { Description = "Real-time authorisations per second (open loop).", DefaultValueFactory = _ => 500 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of load before each measurement.", DefaultValueFactory = _ => 5 };
        var duration = new Option<int>("--duration") { Description = "Seconds each authorisation load is measured.", DefaultValueFactory = _ => 30 };
        var cdrs = new Option<int>("--cdrs") { Description = "CDRs the operator posts for the intake figure.", DefaultValueFactory = _ => 20_000 };
        var concurrency = new Option<int>("--cdr-concurrency") { Description = "CDR POSTs in flight.", DefaultValueFactory = _ => 16 };
        var only = new Option<string>("--only") { Description = "all, or any of auth, cdrs, invoices separated by commas.", DefaultValueFactory = _ => "all" };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 5361 };
        var command = new Command("charging", "Charging Service: real-time authorisation p99 at a rate, CDR intake per minute, the monthly invoice run; each beside a ceiling.")
        {
            accounts, perAccount, rate, warmup, duration, cdrs, concurrency, only, port,
        };
        command.SetAction((r, _) => ChargingBenchmark.RunAsync(new ChargingSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(accounts), r.GetValue(perAccount), r.GetValue(rate), TimeSpan.FromSeconds(r.GetValue(warmup)),
            TimeSpan.FromSeconds(r.GetValue(duration)), r.GetValue(cdrs), r.GetValue(concurrency),
            [.. r.GetValue(only)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)], r.GetValue(port),
            TimeSpan.FromSeconds(r.GetValue(quietWait)))));
        return command;
    }
}
