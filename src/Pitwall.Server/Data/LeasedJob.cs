namespace Pitwall.Server.Data;

/// <summary>
/// A background job that runs every <see cref="Interval"/> on one instance at a time (a database lease held for three
/// intervals), with a try/catch per tick so that one failure never stops it (DESIGN §3.7).
/// </summary>
public abstract partial class LeasedJob(Leases leases, TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract string LeaseName { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>False switches the job off on this instance.</summary>
    protected virtual bool Enabled => true;

    /// <summary>Also run once at start-up rather than only after the first interval.</summary>
    protected virtual bool RunAtStart => false;

    public abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, Time);
        if (RunAtStart)
        {
            await TickAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await TickAsync(stoppingToken);
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await leases.TryAcquireAsync(LeaseName, Interval * 3, stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, LeaseName);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} failed; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job);
}
