using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Pitwall.Server.Gateway;

/// <summary>
/// Applies the cars' acks of cloud frames (drop them from the outbox) in batches, off the sessions' receive loops: one
/// transaction for every ack that came in during <see cref="GatewayOptions.CloudAckLinger"/>. An ack needs no durability —
/// a lost one only means the frame is offered again after a reconnect (whose hello drops what the car already has), and
/// the car knows it by seq — so this never delays a car's messages, and waiting a moment for more acks costs nothing but
/// spares the database's one writer a transaction, and the pages it writes, per ack or two (issue 17).
/// </summary>
internal sealed partial class CloudAcks(
    VehicleLinkStore store, GatewayEvents events, Microsoft.Extensions.Options.IOptions<GatewayOptions> options, ILogger<CloudAcks> logger) : BackgroundService
{
    private readonly TimeSpan _linger = options.Value.CloudAckLinger;

    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Record(string vin, long upTo)
    {
        _pending.AddOrUpdate(vin, upTo, (_, known) => Math.Max(known, upTo));
        _signal.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(stoppingToken))
            {
                _signal.Reader.TryRead(out _);
                if (_linger > TimeSpan.Zero)
                {
                    // Real time, not the server's clock: a pause for batching, not a time anything is judged by.
                    await Task.Delay(_linger, stoppingToken);
                }
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None); // what came in before shutdown
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var acks = new List<(string Vin, long UpTo)>();
        foreach (var vin in _pending.Keys)
        {
            if (_pending.TryRemove(vin, out var upTo))
            {
                acks.Add((vin, upTo));
            }
        }
        if (acks.Count == 0)
        {
            return;
        }
        IReadOnlySet<string> settings;
        try
        {
            settings = await store.AcknowledgedAsync(acks, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never fatal: the frames stay in the outbox and are offered again on reconnect; the loop goes on.
            LogFailed(logger, e, acks.Count);
            return;
        }
        foreach (var (vin, upTo) in acks)
        {
            if (settings.Contains(vin))
            {
                events.Applied(vin, upTo); // what the car confirmed (e.g. a configuration) reads as confirmed from now on
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying {Count} cloud acks failed; those frames are offered again on reconnect")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count);
}
