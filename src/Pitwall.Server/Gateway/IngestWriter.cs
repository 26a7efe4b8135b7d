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
/// On SQLite the database's writer thread takes the batches itself; on PostgreSQL a loop of this service writes them.
/// </summary>
internal sealed partial class IngestWriter : BackgroundService
{
    private readonly Channel<(VehicleSession Session, InboundMessage Message)> _queue;
    private readonly Dictionary<Envelope.PayloadOneofCase, IVehicleMessageHandler> _handlers;
    private readonly ConcurrentDictionary<string, IngestCar> _cars = new(StringComparer.Ordinal);
    private TaskCompletionSource _batchDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Database _database;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestWriter> _logger;
    private readonly int _batchSize;

    private readonly GatewayMetrics _metrics;

    // On SQLite the writer's own thread takes the batches from the queue (IngestWriter.OnWriterThread.cs).
    private readonly bool _onWriterThread;

    // Owned by the writer loop, reused batch after batch.
    private readonly List<(VehicleSession Session, InboundMessage Message)> _fresh = [];
    private readonly IngestBatch _grouped;
    private readonly Dictionary<VehicleSession, int> _ackAt = [];

    public IngestWriter(
        IEnumerable<IVehicleMessageHandler> handlers, Database database, IOptions<GatewayOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<IngestWriter> logger)
    {
        _metrics = metrics;
        _handlers = handlers.ToDictionary(h => h.Handles);
        _grouped = new IngestBatch(_handlers);
        _database = database;
        _time = time;
        _logger = logger;
        _batchSize = options.Value.IngestBatchSize;
        _onWriterThread = database.Dialect == SqlDialect.Sqlite;
        _queue = Channel.CreateBounded<(VehicleSession, InboundMessage)>(
            new BoundedChannelOptions(options.Value.IngestQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public bool Handles(Envelope.PayloadOneofCase payload) => _handlers.ContainsKey(payload);

    /// <summary>The car's entry, looked up once per connection; its session hands it to the writer with every message.</summary>
    internal IngestCar CarOf(string vin) => _cars.GetOrAdd(vin, static v => new IngestCar(v));

    internal async ValueTask EnqueueAsync(VehicleSession session, InboundMessage message, CancellationToken cancellationToken)
    {
        session.Car.Enqueued();
        try
        {
            await _queue.Writer.WriteAsync((session, message), cancellationToken);
        }
        catch
        {
            session.Car.Dequeued();
            throw;
        }
        if (_onWriterThread)
        {
            _database.WakeWriter();
        }
    }

    /// <summary>
    /// Waits until nothing of this car is waiting to be written (a previous connection's messages), so that a new
    /// connection starts from the true durable mark and an old message never overwrites newer link state.
    /// </summary>
    internal async Task DrainAsync(IngestCar car, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the batch signal before looking at the count: a batch that ends in between still wakes us.
            var batchDone = Volatile.Read(ref _batchDone).Task;
            if (car.Queued <= 0)
            {
                return;
            }
            await batchDone.WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_onWriterThread)
        {
            await TakenByTheWriterAsync(stoppingToken);
            return;
        }
        var batch = new List<(VehicleSession Session, InboundMessage Message)>(_batchSize);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < _batchSize && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                await WriteAsync(batch, null, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Unexpected(e, batch);
            }
            finally
            {
                Finish(batch);
            }
        }
    }

    /// <summary>A bug, not an expected failure: log it, and keep the one writer alive for every other car.</summary>
    private void Unexpected(Exception e, List<(VehicleSession Session, InboundMessage Message)> batch)
    {
        LogUnexpected(_logger, e);
        foreach (var session in batch.Select(b => b.Session).Distinct())
        {
            session.Close(ProtocolError.Types.Code.ShuttingDown, "internal error; reconnect later");
        }
    }

    /// <summary>The batch is done with, stored or not: its cars' queued counts drop, and whoever drains a car looks again.</summary>
    private void Finish(List<(VehicleSession Session, InboundMessage Message)> batch)
    {
        foreach (var (session, _) in batch)
        {
            session.Car.Dequeued();
        }
        batch.Clear();
        Interlocked.Exchange(ref _batchDone, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <param name="failed">Set when the batch's first attempt already failed (on the SQLite writer's thread).</param>
    private async Task WriteAsync(List<(VehicleSession Session, InboundMessage Message)> batch, Exception? failed, CancellationToken cancellationToken)
    {
        SelectFresh(batch);
        for (var attempt = 1; ; attempt++)
        {
            _grouped.Group(_fresh);
            var failure = attempt == 1 && failed is not null ? failed : await TryCommitAsync(_grouped, cancellationToken);
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
                await WriteEachCarAsync(batch, _fresh, cancellationToken);
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

    /// <summary>
    /// The batch's messages not yet durable, in <see cref="_fresh"/>: a car's resends that raced a batch in flight are dropped
    /// here, so nothing is stored twice; a poisoned session's later messages must not pass the gap its failed batch left.
    /// </summary>
    private void SelectFresh(List<(VehicleSession Session, InboundMessage Message)> batch)
    {
        _fresh.Clear();
        foreach (var item in batch)
        {
            if (!item.Session.Poisoned && item.Message.Seq > item.Session.Car.Durable)
            {
                _fresh.Add(item);
            }
        }
    }

    private async Task WriteEachCarAsync(
        List<(VehicleSession Session, InboundMessage Message)> batch, List<(VehicleSession Session, InboundMessage Message)> fresh, CancellationToken cancellationToken)
    {
        foreach (var car in batch.GroupBy(b => b.Session))
        {
            var own = new IngestBatch(_handlers);
            own.Group([.. fresh.Where(f => f.Session == car.Key)]);
            var failure = await TryCommitAsync(own, cancellationToken);
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
    private async Task<Exception?> TryCommitAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            var now = _time.GetUtcNow();
            await _database.WriteAsync((c, t) => PersistAsync(batch, c, t, now), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e;
        }
        Committed(batch);
        return null;
    }

    /// <summary>The batch's statements: what each handler stores, each car's high-water mark, new privacy switches.</summary>
    private static async Task PersistAsync(IngestBatch batch, System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, DateTimeOffset now)
    {
        foreach (var (handler, messages) in batch.ByHandler)
        {
            await handler.PersistAsync(c, t, messages);
        }
        await VehicleLinkStore.AdvanceCarSeqsAsync(c, t, batch.Marks, now);
        foreach (var privacyChange in batch.PrivacyChanges)
        {
            await VehicleLinkStore.SavePrivacyAsync(c, t, privacyChange.Vin, privacyChange.Envelope.StatusReport.Privacy);
        }
    }

    /// <summary>Once the batch is durable: the cars' marks, then the features hear of it (events, waiting requests).</summary>
    private void Committed(IngestBatch batch)
    {
        foreach (var mark in batch.Marks)
        {
            mark.Car.Advance(mark.Seq);
        }
        foreach (var (handler, messages) in batch.ByHandler)
        {
            handler.Committed(messages);
        }
    }

    /// <summary>Each session's highest durable seq, acked once per session and batch, however many of its messages it held.</summary>
    private void AckDurable(List<(VehicleSession Session, InboundMessage Message)> items)
    {
        _ackAt.Clear();
        var acks = new List<(VehicleSession Session, long Seq)>(items.Count);
        foreach (var (session, message) in items)
        {
            if (session.Poisoned)
            {
                continue;
            }
            if (_ackAt.TryGetValue(session, out var at))
            {
                acks[at] = (session, Math.Max(acks[at].Seq, message.Seq));
            }
            else
            {
                _ackAt[session] = acks.Count;
                acks.Add((session, message.Seq));
            }
        }
        SendAcks(acks);
    }

    private const int AckChunk = 128;

    /// <summary>Acks of a few cars go out at once from this thread (each written straight to its socket, no pump woken);
    /// a big batch's are handed to the pool in chunks, so that the writer takes its next batch without waiting for them.</summary>
    private static void SendAcks(List<(VehicleSession Session, long Seq)> acks)
    {
        if (acks.Count <= AckChunk)
        {
            SendAcks((acks, 0));
            return;
        }
        for (var from = 0; from < acks.Count; from += AckChunk)
        {
            ThreadPool.UnsafeQueueUserWorkItem(SendAcks, (acks, from), preferLocal: false);
        }
    }

    private static void SendAcks((List<(VehicleSession Session, long Seq)> Acks, int From) chunk)
    {
        var to = Math.Min(chunk.Acks.Count, chunk.From + AckChunk);
        for (var i = chunk.From; i < to; i++)
        {
            chunk.Acks[i].Session.Durable(chunk.Acks[i].Seq);
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
