using System.CommandLine;
using Pitwall.Simulator.Cpo;

namespace Pitwall.Simulator.Cli;

/// <summary><c>pitwall-sim cpo</c>: a charge point operator speaking OCPI 2.2.1 to Pitwall's eMSP side.</summary>
internal static class CpoCommand
{
    public static Command Create()
    {
        var server = new Option<Uri>("--server") { Description = "The Pitwall server's base address.", DefaultValueFactory = _ => new FleetOptions().Server };
        var tokenA = new Option<string>("--token-a")
        {
            Description = "The registration token A an administrator got from POST /api/v1/admin/charging/partners.",
            Required = true,
        };
        var stations = new Option<int>("--stations") { Description = "How many real stations (Rhine-Neckar, BNetzA register) to run (1..385).", DefaultValueFactory = _ => 300 };
        stations.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 385) r.AddError("--stations must be between 1 and 385."); });
        var charges = new Option<int>("--charges") { Description = "How many RFID cards to plug in, one charge each.", DefaultValueFactory = _ => 10 };
        var serve = new Option<string?>("--serve")
        {
            Description = "Then stay this long (e.g. 30m, 8h) and take Pitwall's commands: remote start and stop from the app or the portal's station map.",
        };
        serve.Validators.Add(r => { if (r.GetValueOrDefault<string?>() is { } t && !DurationParser.TryParse(t, out _)) r.AddError("--serve takes a duration such as 30m or 8h."); });
        var command = new Command("cpo", "Run a charge point operator against Pitwall over OCPI 2.2.1: handshake, locations, " +
                                         "real-time authorisation, sessions and CDRs.") { server, tokenA, stations, charges, serve };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient();
            var scenario = new CpoScenario(http, TimeProvider.System, Console.Out);
            var stay = result.GetValue(serve) is { } text && DurationParser.TryParse(text, out var d) ? d : TimeSpan.Zero;
            await scenario.RunAsync(result.GetValue(server)!, result.GetValue(tokenA)!, result.GetValue(stations), result.GetValue(charges), cancellationToken, stay);
            return 0;
        });
        return command;
    }
}
