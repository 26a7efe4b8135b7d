using System.Diagnostics.Metrics;
using Pitwall.Server.Hosting.Telemetry;

namespace Pitwall.Server.Features.Commands;

/// <summary>How long remote commands take, from the app's request to the car's answer stored.</summary>
internal sealed class CommandMetrics(IMeterFactory meters)
{
    private readonly Histogram<double> _roundTrip = meters.Create(PitwallTelemetry.Name).CreateHistogram<double>(
        "pitwall.command.round_trip", "s", "From a command accepted to the car's result stored, by type and outcome", tags: null, advice: PitwallTelemetry.Seconds);

    public void Ended(CommandRecord command)
    {
        if (command.CompletedAt is { } completed)
        {
            _roundTrip.Record((completed - command.CreatedAt).TotalSeconds,
                new KeyValuePair<string, object?>("command.type", command.Type), new KeyValuePair<string, object?>("command.state", command.State));
        }
    }
}
