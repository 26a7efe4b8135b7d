using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>Moves the running campaigns on, on one instance at a time: starts the next wave when the current one is done,
/// pauses at the error threshold, finishes.</summary>
internal sealed class CampaignJob(CampaignStore campaigns, CampaignRunner runner, IOptions<SoftwareUpdateOptions> options, Leases leases, TimeProvider time,
    ILogger<CampaignJob> logger) : LeasedJob(leases, time, logger)
{
    protected override string LeaseName => "software-campaigns";

    protected override TimeSpan Interval => options.Value.CampaignInterval;

    protected override bool Enabled => options.Value.CampaignsEnabled;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var campaign in await campaigns.ListAsync(CampaignStates.Running, cancellationToken))
        {
            await runner.AdvanceAsync(campaign.Id, cancellationToken);
        }
    }
}
