using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Privacy;

internal sealed class RetentionOptions
{
    public const string Section = "Pitwall:Retention";

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public bool Enabled { get; set; } = true;
}

/// <summary>Runs the retention sweep periodically, on one instance at a time (database lease).</summary>
internal sealed class RetentionJob(
    IOptions<RetentionOptions> options, Leases leases, RetentionSweeper sweeper, TimeProvider time, ILogger<RetentionJob> logger)
    : LeasedJob(leases, time, logger)
{
    protected override string LeaseName => "privacy.retention";

    protected override TimeSpan Interval => options.Value.Interval;

    protected override bool Enabled => options.Value.Enabled;

    protected override bool RunAtStart => true;

    public override Task RunOnceAsync(CancellationToken cancellationToken) => sweeper.SweepAsync(cancellationToken);
}
