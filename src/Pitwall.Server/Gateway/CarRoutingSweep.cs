using Microsoft.Extensions.Options;
using Pitwall.Server.Cluster;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Gateway;

/// <summary>
/// The fallback of <see cref="CarRouting"/> when announcements do not arrive (NATS down, a message lost): every few seconds,
/// and at once when NATS is back, the instance looks in the database for frames waiting for the cars it holds and sends
/// them. After an outage it also closes its sessions that a newer login elsewhere replaced meanwhile. Runs only when
/// several instances share the database.
/// </summary>
internal sealed partial class CarRoutingSweep(
    IClusterBus bus, CarRouting routing, SessionRegistry registry, VehicleLinkStore store, IOptions<ClusterOptions> options, TimeProvider time,
    ILogger<CarRoutingSweep> logger) : BackgroundService
{
    private volatile bool _reconnected;
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!bus.Enabled)
        {
            return;
        }
        bus.Reconnected += OnReconnected;
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        var wake = _wake.WaitAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await Task.WhenAny(tick, wake) == tick)
                {
                    await tick;
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    await wake;
                    wake = _wake.WaitAsync(stoppingToken);
                }
                await SweepAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            bus.Reconnected -= OnReconnected;
        }
    }

    private void OnReconnected()
    {
        _reconnected = true;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // a sweep is already due
        }
    }

    /// <summary>One pass; public for tests that cannot wait for the timer.</summary>
    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_reconnected)
            {
                _reconnected = false;
                await CloseReplacedAsync(cancellationToken);
            }
            foreach (var (vin, seq) in await store.WaitingForAsync(bus.InstanceId, time.GetUtcNow(), cancellationToken))
            {
                if (registry.Find(vin) is { } session && session.SentCloudSeq < seq)
                {
                    await routing.DrainAsync(session, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogSweepFailed(logger, e);
        }
    }

    private async Task CloseReplacedAsync(CancellationToken cancellationToken)
    {
        var held = await store.HeldByAsync(bus.InstanceId, cancellationToken);
        foreach (var session in registry.All())
        {
            if (session.Epoch > 0 && (!held.TryGetValue(session.Vin, out var epoch) || epoch != session.Epoch))
            {
                LogReplaced(logger, LogRef.Vehicle(session.Vin));
                session.Replace();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for frames waiting for this instance's cars failed; next pass retries")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Car {Vehicle}: replaced by a newer session elsewhere while NATS was away; closing this one")]
    private static partial void LogReplaced(ILogger logger, string vehicle);
}
