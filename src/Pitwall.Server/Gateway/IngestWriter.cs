using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;

namespace Pitwall.Server.Gateway;

/// <summary>
/// The one writer of car messages (DESIGN §3.8): takes messages from every session through a bounded queue,
/// writes them in batches, one transaction per batch together with each car's dedup high-water mark, and only
/// then lets the sessions ack. A full queue stops sessions reading their sockets, which slows the cars (backpressure).
/// </summary>
internal sealed partial class IngestWriter : BackgroundService
{
    private readonly Channel<(VehicleSession Session, InboundMessage Message)> _queue;
    private readonly Dictionary<Envelope.PayloadOneofCase, IVehicleMessageHandler> _handlers;
    private readonly ConcurrentDictionary<string, long> _durable = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _queued = new(StringComparer.Ordinal);
    private TaskCompletionSource _batchDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Database _database;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestWriter> _logger;
    private readonly int _batchSize;

    private readonly GatewayMetrics _metrics;

    public IngestWriter(
        IEnumerable<IVehicleMessageHandler> handlers, Database database, IOptions<GatewayOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<IngestWriter> logger)
    {
        _metrics = metrics;
        _handlers = handlers.ToDictionary(h => h.Handles);
        _database = database;
        _time = time;
        _logger = logger;
        _batchSize = options.Value.IngestBatchSize;
        _queue = Channel.CreateBounded<(VehicleSession, InboundMessage)>(
            new BoundedChannelOptions(options.Value.IngestQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public bool Handles(Envelope.PayloadOneofCase payload) => _handlers.ContainsKey(payload);

    internal async ValueTask EnqueueAsync(VehicleSession session, InboundMessage message, CancellationToken cancellationToken)
    {
        _queued.AddOrUpdate(message.Vin, 1, (_, n) => n + 1);
        try
        {
            await _queue.Writer.WriteAsync((session, message), cancellationToken);
        }
        catch
        {
            Dequeued(message.Vin);
            throw;
        }
    }

    /// <summary>
    /// Waits until nothing of this car is waiting to be written (a previous connection's messages), so that a new
    /// connection starts from the true durable mark and an old message never overwrites newer link state.
    /// </summary>
    internal async Task DrainAsync(string vin, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the batch signal before looking at the count: a batch that ends in between still wakes us.
            var batchDone = Volatile.Read(ref _batchDone).Task;
            if (_queued.GetValueOrDefault(vin) <= 0)
            {
                return;
            }
            await batchDone.WaitAsync(cancellationToken);
        }
    }

    private void Dequeued(string vin)
    {
        if (_queued.AddOrUpdate(vin, 0, (_, n) => n - 1) <= 0)
        {
            _queued.TryRemove(KeyValuePair.Create(vin, 0));
        }
    }

    /// <summary>The higher of the stored mark and what this writer already made durable (a batch may be in flight).</summary>
    internal long KnownDurableSeq(string vin, long stored) => _durable.AddOrUpdate(vin, stored, (_, known) => Math.Max(known, stored));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(VehicleSession Session, InboundMessage Message)>(_batchSize);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < _batchSize && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                await WriteAsync(batch, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug, not an expected failure: log it, and keep the one writer alive for every other car.
                LogUnexpected(_logger, e);
                foreach (var session in batch.Select(b => b.Session).Distinct())
                {
                    session.Close(ProtocolError.Types.Code.ShuttingDown, "internal error; reconnect later");
                }
            }
            finally
            {
                foreach (var (_, message) in batch)
                {
                    Dequeued(message.Vin);
                }
                batch.Clear();
                Interlocked.Exchange(ref _batchDone, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
    }

    private async Task WriteAsync(List<(VehicleSession Session, InboundMessage Message)> batch, CancellationToken cancellationToken)
    {
        // A car's resends that raced a batch in flight are dropped here, so nothing is stored twice.
        // A poisoned session's later messages must not pass the gap its failed batch left.
        var fresh = batch.Where(b => !b.Session.Poisoned && b.Message.Seq > _durable.GetValueOrDefault(b.Message.Vin)).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var failure = await TryCommitAsync(fresh, cancellationToken);
            if (failure is null)
            {
                AckDurable(batch);
                _metrics.Acked(batch);
                return;
            }
            if (!IsStorageFailure(failure))
            {
                // One car's message broke the batch (a bug: content is checked at the gate). Each car is written on its
                // own, so that one car can never hold back or disconnect another.
                LogCarFailure(_logger, failure);
                await WriteEachCarAsync(batch, fresh, cancellationToken);
                return;
            }
            if (attempt == 3)
            {
                // Not acked, so the cars keep these messages; dropping their connections makes them resend.
                LogDropped(_logger, failure, batch.Count);
                foreach (var session in batch.Select(b => b.Session).Distinct())
                {
                    session.Close(ProtocolError.Types.Code.ShuttingDown, "storage unavailable; reconnect later");
                }
                return;
            }
            LogRetry(_logger, failure, attempt);
            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), _time, cancellationToken);
        }
    }

    private async Task WriteEachCarAsync(
        List<(VehicleSession Session, InboundMessage Message)> batch, List<(VehicleSession Session, InboundMessage Message)> fresh, CancellationToken cancellationToken)
    {
        foreach (var car in batch.GroupBy(b => b.Session))
        {
            var failure = await TryCommitAsync([.. fresh.Where(f => f.Session == car.Key)], cancellationToken);
            if (failure is null)
            {
                List<(VehicleSession Session, InboundMessage Message)> acked = [.. car];
                AckDurable(acked);
                _metrics.Acked(acked);
            }
            else
            {
                LogCarDisconnected(_logger, failure, Hosting.LogRef.Vehicle(car.Key.Vin));
                car.Key.Close(ProtocolError.Types.Code.ShuttingDown, "internal error; reconnect later");
            }
        }
    }

    /// <returns>Null once the messages are durable and the features told, else what failed (nothing of them is stored).</returns>
    private async Task<Exception?> TryCommitAsync(List<(VehicleSession Session, InboundMessage Message)> items, CancellationToken cancellationToken)
    {
        // Refused messages store nothing; they only move the car's high-water mark, so that they are acked and never come back.
        var byHandler = items.Where(b => !b.Message.Refused).GroupBy(b => b.Message.Envelope.PayloadCase)
            .Select(g => (Handler: _handlers[g.Key], Messages: g.Select(x => x.Message).ToList())).ToList();
        var highest = items.GroupBy(b => b.Message.Vin).Select(g => (Vin: g.Key, Seq: g.Max(x => x.Message.Seq), Last: g.Last().Message)).ToList();
        try
        {
            var now = _time.GetUtcNow();
            await _database.WriteAsync(async (c, t) =>
            {
                foreach (var (handler, messages) in byHandler)
                {
                    await handler.PersistAsync(c, t, messages);
                }
                await VehicleLinkStore.AdvanceCarSeqsAsync(c, t, highest.Select(h => (h.Vin, h.Seq, h.Last.Privacy.PrivateMode ? (DateTimeOffset?)null : now)));
                foreach (var privacyChange in items.Where(b => !b.Message.Refused && b.Message.Envelope.StatusReport?.Privacy is not null))
                {
                    await VehicleLinkStore.SavePrivacyAsync(c, t, privacyChange.Message.Vin, privacyChange.Message.Envelope.StatusReport.Privacy);
                }
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e;
        }
        foreach (var (vin, seq, _) in highest)
        {
            _durable.AddOrUpdate(vin, seq, (_, known) => Math.Max(known, seq));
        }
        foreach (var (handler, messages) in byHandler)
        {
            handler.Committed(messages);
        }
        return null;
    }

    private static void AckDurable(List<(VehicleSession Session, InboundMessage Message)> items)
    {
        foreach (var group in items.Where(b => !b.Session.Poisoned).GroupBy(b => b.Session))
        {
            group.Key.Durable(group.Max(b => b.Message.Seq));
        }
    }

    /// <summary>The database could not be reached or was busy: worth retrying as a whole; anything else is one car's message.</summary>
    private static bool IsStorageFailure(Exception e) =>
        e is TimeoutException or System.Net.Sockets.SocketException or IOException || e is System.Data.Common.DbException { IsTransient: true } ||
        e.InnerException is { } inner && IsStorageFailure(inner);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest batch failed on a car's message; writing each car on its own")]
    private static partial void LogCarFailure(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Vehicle {VehicleRef}: its messages could not be stored; closing its connection")]
    private static partial void LogCarDisconnected(ILogger logger, Exception exception, string vehicleRef);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Ingest batch failed unexpectedly; its cars were disconnected and will resend")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest batch failed (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest batch of {Count} messages failed; not acked, cars will resend")]
    private static partial void LogDropped(ILogger logger, Exception exception, int count);
}
