using Microsoft.Extensions.Options;
using Pitwall.Server.Cluster;

namespace Pitwall.Server.Gateway;

/// <summary>
/// Which instances are alive, so that a car reads as online only while the instance holding it is (issue 19). Each instance
/// records a heartbeat every <see cref="ClusterOptions.InstanceHeartbeat"/>; one silent for
/// <see cref="ClusterOptions.InstanceTimeout"/> (killed, frozen, cut off from the database) is taken for dead: its cars read as
/// offline at once, and the next instance to beat clears their presence records and publishes their disconnection (their
/// cars log in again elsewhere, within their back-off). An instance taken for dead while alive records its live sessions again at its next beat. Runs only when
/// several instances share the database (NATS configured).
/// </summary>
internal sealed partial class InstancePresence(
    IClusterBus bus, InstanceHeartbeats heartbeats, SessionRegistry registry, GatewayEvents events, IOptions<ClusterOptions> options,
    TimeProvider time, ILogger<InstancePresence> logger) : BackgroundService
{
    private readonly ClusterOptions _options = options.Value;
    private bool _recorded;

    /// <summary>Heartbeats older than this (on this instance's clock) are a dead instance's.</summary>
    public DateTimeOffset Cutoff() => time.GetUtcNow() - _options.InstanceTimeout;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (bus.Enabled)
        {
            await BeatAsync(cancellationToken); // before the first car logs in here, so that its presence counts at once
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!bus.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.InstanceHeartbeat, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (bus.Enabled)
        {
            try
            {
                await heartbeats.LeaveAsync(bus.InstanceId, cancellationToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or OperationCanceledException)
            {
                LogBeatFailed(logger, e); // the others take it for dead after the timeout
            }
        }
    }

    /// <summary>One heartbeat and one look for dead instances; internal for tests that cannot wait for the timer.</summary>
    internal async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await heartbeats.BeatAsync(bus.InstanceId, time.GetUtcNow, cancellationToken) && _recorded)
            {
                var sessions = registry.All().Where(s => s.Epoch > 0).Select(s => (s.Vin, s.Epoch)).ToList();
                LogReclaimed(logger, sessions.Count);
                await heartbeats.ReclaimAsync(bus.InstanceId, sessions, cancellationToken);
            }
            _recorded = true;
            foreach (var (instance, cars) in await heartbeats.ReapAsync(bus.InstanceId, Cutoff, cancellationToken))
            {
                LogReaped(logger, instance, cars.Count);
                foreach (var vin in cars)
                {
                    events.Disconnected(vin); // the dead instance could not say so; apps and consoles hear it from here
                }
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogBeatFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {Instance} stopped beating: its {Cars} cars read as offline until they log in again")]
    private static partial void LogReaped(ILogger logger, string instance, int cars);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This instance was taken for dead (no heartbeat in time); recording its {Sessions} live sessions again")]
    private static partial void LogReclaimed(ILogger logger, int sessions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The instance heartbeat failed; the next one retries")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
