using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Bench;

/// <summary>
/// Pitwall exactly as <c>pitwall serve</c> composes it (<see cref="Pitwall.Server.Program.BuildApp"/>, then
/// <see cref="PitwallCommandLine.PrepareAsync"/>, then run), with one addition: the vehicle message handlers the
/// IngestWriter calls are wrapped to count the batches it writes (reports and cars per batch, time inside the
/// transaction). Prints the running totals on standard output once a second, for the benchmark to read.
/// </summary>
internal static class InstrumentedServer
{
    public const string Prefix = "ingest-batches ";

    public static async Task<int> RunAsync(string urls, string database, CancellationToken cancellationToken)
    {
        var stats = new BatchCounters();
        using var stalls = new ServerStalls();
        await using var app = Pitwall.Server.Program.BuildApp(["--urls", urls], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Pitwall:Database:ConnectionString"] = $"Data Source={database}" });
            var handlers = builder.Services.Where(d => d.ServiceType == typeof(IVehicleMessageHandler)).ToList();
            foreach (var descriptor in handlers)
            {
                builder.Services.Remove(descriptor);
                builder.Services.AddSingleton<IVehicleMessageHandler>(sp => new CountingHandler(Resolve(sp, descriptor), stats, stalls));
            }
        });
        await PitwallCommandLine.PrepareAsync(app, cancellationToken);
        await app.StartAsync(cancellationToken);
        _ = Task.Run(() => AnswerProbes(stalls), CancellationToken.None);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                Console.WriteLine(stats.Line());
            }
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    public const string HeapPrefix = "managed-heap ";

    /// <summary>
    /// "gc" on standard input: a full blocking compacting collection, then the live managed heap on standard output
    /// (for the idle-connection benchmark's breakdown of the memory per connection).
    /// </summary>
    private static void AnswerProbes(ServerStalls stalls)
    {
        while (Console.In.ReadLine() is { } line)
        {
            if (line.Trim() == "window")
            {
                stalls.Open();
            }
            else if (line.Trim() == "window-end")
            {
                Console.WriteLine(stalls.Close());
            }
            else if (line.Trim() == "gc")
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var info = GC.GetGCMemoryInfo();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{HeapPrefix}live_bytes={GC.GetTotalMemory(false)} heap_bytes={info.HeapSizeBytes} committed_bytes={info.TotalCommittedBytes}"));
            }
        }
    }

    private static IVehicleMessageHandler Resolve(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IVehicleMessageHandler)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private sealed class CountingHandler(IVehicleMessageHandler inner, BatchCounters stats, ServerStalls stalls) : IVehicleMessageHandler
    {
        private long _started;
        private long _lastCommitted;
        private long _persisted;
        private long _commitDone;
        private double _waitMs;
        private IReadOnlyList<InboundMessage> _messages = [];

        public Envelope.PayloadOneofCase Handles => inner.Handles;

        public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
        {
            var started = Stopwatch.GetTimestamp();
            _started = started;
            _messages = messages;
            var oldest = DateTimeOffset.MaxValue;
            foreach (var message in messages)
            {
                oldest = message.ReceivedAt < oldest ? message.ReceivedAt : oldest;
            }
            _waitMs = (DateTimeOffset.UtcNow - oldest).TotalMilliseconds;
            if (_lastCommitted != 0)
            {
                stats.Between(started - _lastCommitted); // from the previous batch's Committed to this one's first statement
            }
            // Runs where the COMMIT ran, right after it: splits the transaction into statements + COMMIT and the way back.
            Pitwall.Server.Data.Database.AfterCommit(transaction, () => stats.CommitDone((_commitDone = Stopwatch.GetTimestamp()) - started));
            await inner.PersistAsync(connection, transaction, messages);
            _persisted = Stopwatch.GetTimestamp();
            var persisted = _persisted - started;
            var cars = new HashSet<string>(StringComparer.Ordinal);
            foreach (var message in messages)
            {
                cars.Add(message.Vin);
            }
            stats.Persisted(messages.Count, cars.Count, persisted);
        }

        public void Committed(IReadOnlyList<InboundMessage> messages)
        {
            var now = Stopwatch.GetTimestamp();
            stats.Committed(now - _started);
            var committedAt = DateTimeOffset.UtcNow;
            stalls.Batch(_waitMs, Ms(_persisted - _started), Ms(_commitDone - _persisted), Ms(now - _commitDone),
                _messages.Select(m => (committedAt - m.ReceivedAt).TotalMilliseconds));
            inner.Committed(messages);
            _lastCommitted = now;
        }
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed class BatchCounters
    {
        private long _batches;
        private long _reports;
        private long _cars;
        private long _persistTicks;
        private long _commitTicks;
        private long _transactionTicks;
        private long _betweenTicks;

        public void Persisted(int reports, int cars, long ticks)
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _reports, reports);
            Interlocked.Add(ref _cars, cars);
            Interlocked.Add(ref _persistTicks, ticks);
        }

        public void CommitDone(long ticks) => Interlocked.Add(ref _commitTicks, ticks);

        public void Committed(long ticks) => Interlocked.Add(ref _transactionTicks, ticks);

        public void Between(long ticks) => Interlocked.Add(ref _betweenTicks, ticks);

        public string Line() => string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}batches={Interlocked.Read(ref _batches)} reports={Interlocked.Read(ref _reports)} cars={Interlocked.Read(ref _cars)} " +
            $"persist_ms={Ms(ref _persistTicks):F1} commit_ms={Ms(ref _commitTicks):F1} transaction_ms={Ms(ref _transactionTicks):F1} " +
            $"between_ms={Ms(ref _betweenTicks):F1}");

        private static double Ms(ref long ticks) => Interlocked.Read(ref ticks) * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>The running totals an <see cref="InstrumentedServer"/> prints, and the difference of two of them.</summary>
internal sealed record BatchTotals(long Batches, long Reports, long Cars, double PersistMs, double TransactionMs, double CommitMs = 0, double BetweenMs = 0)
{
    public static BatchTotals Zero { get; } = new(0, 0, 0, 0, 0);

    public static BatchTotals? Parse(string line)
    {
        if (!line.StartsWith(InstrumentedServer.Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var values = line[InstrumentedServer.Prefix.Length..].Split(' ')
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new BatchTotals((long)values["batches"], (long)values["reports"], (long)values["cars"], values["persist_ms"], values["transaction_ms"],
            values.GetValueOrDefault("commit_ms"), values.GetValueOrDefault("between_ms"));
    }

    public BatchTotals Minus(BatchTotals earlier) =>
        new(Batches - earlier.Batches, Reports - earlier.Reports, Cars - earlier.Cars, PersistMs - earlier.PersistMs, TransactionMs - earlier.TransactionMs,
            CommitMs - earlier.CommitMs, BetweenMs - earlier.BetweenMs);

    public double ReportsPerBatch => Batches == 0 ? 0 : Reports / (double)Batches;

    public double CarsPerBatch => Batches == 0 ? 0 : Cars / (double)Batches;

    public double TransactionMsPerBatch => Batches == 0 ? 0 : TransactionMs / Batches;

    /// <summary>Per batch: the status handler's statements; the rest up to the end of COMMIT; from there back to the ingest
    /// loop; from one batch's Committed to the next one's first statement (acks, gathering, the hand-over to the writer).</summary>
    public (double Persist, double ToCommit, double Back, double Between) PhasesMsPerBatch => Batches == 0
        ? default
        : (PersistMs / Batches, (CommitMs - PersistMs) / Batches, (TransactionMs - CommitMs) / Batches, BetweenMs / Batches);

    public double TransactionUsPerReport => Reports == 0 ? 0 : TransactionMs * 1000 / Reports;
}
