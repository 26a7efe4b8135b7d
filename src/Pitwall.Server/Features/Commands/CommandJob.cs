using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Commands;

/// <summary>Expires commands the car did not do in time (vehicle_offline) and hands waiting ones over; one instance at a time.</summary>
public sealed partial class CommandJob(CommandStore store, CommandDispatcher dispatcher, Leases leases, TimeProvider time, ILogger<CommandJob> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var expired in await store.ExpireAsync(time.GetUtcNow(), cancellationToken))
        {
            dispatcher.Publish(expired);
        }
        foreach (var vin in await store.WaitingVinsAsync(time.GetUtcNow(), cancellationToken))
        {
            await dispatcher.DispatchAsync(vin, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await leases.TryAcquireAsync("commands.expiry", Interval * 3, stoppingToken))
                {
                    await RunOnceAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Command job tick failed; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
