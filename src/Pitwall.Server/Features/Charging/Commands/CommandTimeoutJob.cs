using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Charging.Commands;

/// <summary>Closes the commands whose result did not come before the operator's timeout as failed with <c>TIMEOUT</c> (OCPI gives no
/// retries: the eMSP may assume the result will never come). One instance at a time; idempotent.</summary>
internal sealed class CommandTimeoutJob(ChargingCommandStore store, Leases leases, IOptions<ChargingOptions> options, TimeProvider time, ILogger<CommandTimeoutJob> logger)
    : LeasedJob(leases, time, logger)
{
    protected override string LeaseName => "charging.command-timeouts";

    protected override TimeSpan Interval => options.Value.CommandSweepInterval;

    public override Task RunOnceAsync(CancellationToken cancellationToken) => store.TimeOutAsync(cancellationToken);
}
