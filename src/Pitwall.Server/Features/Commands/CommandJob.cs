using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Commands;

/// <summary>Expires commands the car did not do in time (vehicle_offline) and hands waiting ones over; one instance at a time.</summary>
internal sealed class CommandJob(CommandStore store, CommandDispatcher dispatcher, Leases leases, TimeProvider time, ILogger<CommandJob> logger)
    : LeasedJob(leases, time, logger)
{
    protected override string LeaseName => "commands.expiry";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(5);

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var expired in await store.ExpireAsync(Time.GetUtcNow(), cancellationToken))
        {
            dispatcher.Publish(expired);
        }
        foreach (var vin in await store.WaitingVinsAsync(Time.GetUtcNow(), cancellationToken))
        {
            await dispatcher.DispatchAsync(vin, cancellationToken);
        }
    }
}
