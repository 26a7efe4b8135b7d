using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Privacy;

public sealed class RetentionOptions
{
    public const string Section = "Pitwall:Retention";

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public bool Enabled { get; set; } = true;
}

/// <summary>Runs the retention sweep periodically, on one instance at a time (database lease).</summary>
public sealed partial class RetentionJob(
    IOptions<RetentionOptions> options, Leases leases, RetentionSweeper sweeper, TimeProvider time, ILogger<RetentionJob> logger)
    : BackgroundService
{
    private const string LeaseName = "privacy.retention";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                if (await leases.TryAcquireAsync(LeaseName, options.Value.Interval * 2, stoppingToken))
                {
                    await sweeper.SweepAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention sweep failed; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
