using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Pitwall.Server.Data;

/// <summary>SQLite's one writer: queued writes, group-committed (see <see cref="WriteAsync{T}"/>).</summary>
public sealed partial class Database
{
    // SQLite's one writer keeps its connection (and its settings) for the life of the process; only used by the writer loop.
    private StatementCachingConnection? _sqliteWriterConnection;
    private WalCheckpointer? _checkpointer;

    /// <summary>The checkpoints of SQLite's log, off the writer (null until the writer's first write, and on PostgreSQL).</summary>
    internal WalCheckpointer? Checkpointer => _checkpointer;

    /// <summary>The writer's connection, opened once: busy timeout and foreign keys are set on it, not on every transaction.</summary>
    private SqliteConnection SqliteWriter()
    {
        if (_sqliteWriterConnection is { State: ConnectionState.Open } open)
        {
            return open;
        }
        var connection = new StatementCachingConnection(_sqliteConnectionString);
        connection.Open();
        _checkpointer ??= new WalCheckpointer(_sqliteConnectionString, _checkpointPages, _busyTimeoutMs, _meter);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA foreign_keys = ON; PRAGMA cache_size = -{_writerCacheKiB}; {_checkpointer.WriterPragmas}";
        pragma.ExecuteNonQuery();
        return _sqliteWriterConnection = connection;
    }

    /// <summary>Most writes committed together; a group's writes wait for each other, so it is bounded.</summary>
    internal const int MaxGroupSize = 256;

    private readonly Channel<PendingWrite> _sqliteWrites = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _sqliteWriterStart = new();
    private TaskCompletionSource? _sqliteWriterStopped;

    private void EnsureSqliteWriter()
    {
        if (Volatile.Read(ref _sqliteWriterStopped) is not null)
        {
            return;
        }
        lock (_sqliteWriterStart)
        {
            if (_sqliteWriterStopped is not null)
            {
                return;
            }
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            new Thread(() => RunSqliteWriter(stopped)) { IsBackground = true, Name = "Pitwall SQLite writer" }.UnsafeStart(); // no caller's context
            Volatile.Write(ref _sqliteWriterStopped, stopped);
        }
    }

    /// <summary>
    /// The writer runs on a thread of its own, not the thread pool: SQLite's calls are synchronous, so a pool thread would
    /// be held through every statement and fsync, and each time writes arrived the loop would wait in the pool's queue
    /// behind the sockets' per-frame work — every car's ack and every command waits for this one loop.
    /// </summary>
    private void RunSqliteWriter(TaskCompletionSource stopped)
    {
        WriterThreadPriority.RaiseCurrentThread();
        var group = new List<PendingWrite>(MaxGroupSize + 1);
        var reader = _sqliteWrites.Reader;
        while (true)
        {
            while (group.Count < MaxGroupSize && reader.TryRead(out var write))
            {
                Interlocked.Decrement(ref _sqliteQueued);
                if (write.Cancellation.IsCancellationRequested)
                {
                    write.Cancel(); // given up while it waited: never run
                    continue;
                }
                group.Add(write);
            }
            if (Volatile.Read(ref _writerBatches) is { } batches && batches.Take() is { } batch)
            {
                group.Add(new SourcedWrite(batch)); // committed with the writes that waited
            }
            if (group.Count > 0)
            {
                var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
                CommitGroup(group);
                RecordBatch(startedAt, group.Count);
                group.Clear();
                if (_sqliteWriterConnection is { } writer)
                {
                    _checkpointer?.Committed(writer); // the log copied into the database off this thread (WalCheckpointer)
                }
                continue;
            }
            if (reader.Completion.IsCompleted)
            {
                break;
            }
            SleepUntilWoken(reader);
        }
        stopped.TrySetResult();
    }

    private void CommitGroup(List<PendingWrite> group)
    {
        SqliteTransaction? transaction = null;
        try
        {
            var writer = SqliteWriter();
            // BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half-way on upgrade.
            transaction = writer.BeginTransaction(deferred: false);
            if (group.Count == 1)
            {
                group[0].Run(writer, transaction, 0); // alone: its failure rolls back the transaction
            }
            else
            {
                using var savepoints = new Savepoints(writer, transaction);
                foreach (var write in group)
                {
                    var actions = AfterCommitCount(transaction);
                    savepoints.Begin();
                    try
                    {
                        write.Run(writer, transaction, actions);
                    }
                    catch (Exception e)
                    {
                        write.Failure = e;
                        DropAfterCommit(transaction, actions); // registered by the write that is being undone
                        savepoints.RollBack(); // throws when the transaction itself is lost: then the group fails
                        continue;
                    }
                    savepoints.Release();
                }
            }
            transaction.Commit();
        }
        catch (Exception e)
        {
            // The transaction is gone (or never began): nothing of the group was stored.
            if (transaction is not null)
            {
                DropAfterCommit(transaction, 0);
                try
                {
                    transaction.Rollback();
                }
                catch (Exception rollback) when (rollback is DbException or InvalidOperationException)
                {
                    // Already rolled back by SQLite.
                }
            }
            foreach (var write in group)
            {
                write.Failure ??= e;
            }
        }
        finally
        {
            transaction?.Dispose();
        }
        foreach (var write in group)
        {
            if (write.Failure is null && transaction is not null)
            {
                try
                {
                    RunAfterCommit(transaction, write.AfterCommitFrom, write.AfterCommitTo);
                }
                catch (Exception e)
                {
                    write.Failure = e; // committed, but its follow-up failed: the caller hears of it as before
                }
            }
            write.Complete();
        }
        if (transaction is not null)
        {
            AfterCommitActions.Remove(transaction);
        }
    }

    // 1 while the writer sleeps; whoever gives it work and finds it asleep wakes it, directly (a futex, not a pool thread
    // that would first wait in the pool's queue behind the sockets' work: issue 17).
    private int _writerAsleep;
    private readonly SemaphoreSlim _writerWake = new(0);
    private IWriterBatches? _writerBatches;

    private void SleepUntilWoken(ChannelReader<PendingWrite> reader)
    {
        Volatile.Write(ref _writerAsleep, 1);
        Interlocked.MemoryBarrier(); // asleep is visible before looking for work; a waker publishes work before looking at it
        if (Volatile.Read(ref _sqliteQueued) > 0 || reader.Completion.IsCompleted || Volatile.Read(ref _writerBatches) is { Waiting: true })
        {
            if (Interlocked.Exchange(ref _writerAsleep, 0) == 0)
            {
                _writerWake.Wait(); // a waker saw it asleep and releases once: take that release
            }
            return;
        }
        _writerWake.Wait();
    }

    /// <summary>Work was published for the writer (a queued write, a source's batch, completion): wake it if it sleeps.</summary>
    internal void WakeWriter()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _writerAsleep) == 1 && Interlocked.Exchange(ref _writerAsleep, 0) == 1)
        {
            _writerWake.Release();
        }
    }

    /// <summary>
    /// SQLite only: a source of batches that the writer takes itself, on its own thread, whenever it is free, and commits with
    /// the writes waiting then. The ingest writer's batches come this way (issue 17): the messages go from the sessions' one
    /// queue straight into the transaction, and are answered on this thread when it has committed — no second queue, and no
    /// thread woken, per batch. Null detaches the source (what it still holds is not taken).
    /// </summary>
    internal void SetWriterBatches(IWriterBatches? batches)
    {
        EnsureSqliteWriter();
        Volatile.Write(ref _writerBatches, batches);
        WakeWriter();
    }

    /// <summary>A batch taken from an <see cref="IWriterBatches"/>: runs and is answered as any write of its group.</summary>
    private sealed class SourcedWrite(IWriterBatch batch) : PendingWrite(CancellationToken.None)
    {
        protected override Task RunWorkAsync(SqliteConnection connection, SqliteTransaction transaction) => batch.RunAsync(connection, transaction);

        public override void Complete() => batch.Complete(Failure);

        public override void Cancel() => batch.Complete(new OperationCanceledException());
    }

    /// <summary>One write waiting for the SQLite writer.</summary>
    private abstract class PendingWrite(CancellationToken cancellation)
    {
        public CancellationToken Cancellation { get; } = cancellation;

        public Exception? Failure { get; set; }

        /// <summary>The write's own <see cref="AfterCommit"/> actions: this range of the transaction's list.</summary>
        public int AfterCommitFrom { get; private set; }

        public int AfterCommitTo { get; private set; }

        /// <summary>Runs the write on the writer's thread; SQLite's "async" calls complete synchronously, so this rarely blocks.</summary>
        public void Run(SqliteConnection connection, SqliteTransaction transaction, int actionsBefore)
        {
            AfterCommitFrom = actionsBefore;
            try
            {
                RunWorkAsync(connection, transaction).GetAwaiter().GetResult();
            }
            finally
            {
                AfterCommitTo = AfterCommitCount(transaction);
            }
        }

        protected abstract Task RunWorkAsync(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Complete();

        public abstract void Cancel();
    }

    private sealed class PendingWrite<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellation) : PendingWrite(cancellation)
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task RunWorkAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            _result = await work(connection, transaction);

        public override void Complete()
        {
            if (Failure is null)
            {
                Completion.TrySetResult(_result!);
            }
            else
            {
                Completion.TrySetException(Failure);
            }
        }

        public override void Cancel() => Completion.TrySetCanceled(Cancellation);
    }

    /// <summary>SAVEPOINT, RELEASE and ROLLBACK TO as three commands compiled once per group.</summary>
    private sealed class Savepoints(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        private readonly SqliteCommand _begin = Create(connection, transaction, "SAVEPOINT pitwall_write");
        private readonly SqliteCommand _release = Create(connection, transaction, "RELEASE pitwall_write");
        private readonly SqliteCommand _rollBack = Create(connection, transaction, "ROLLBACK TO pitwall_write; RELEASE pitwall_write");

        public void Begin() => _begin.ExecuteNonQuery();

        public void Release() => _release.ExecuteNonQuery();

        public void RollBack() => _rollBack.ExecuteNonQuery();

        private static SqliteCommand Create(SqliteConnection connection, SqliteTransaction transaction, string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        public void Dispose()
        {
            _begin.Dispose();
            _release.Dispose();
            _rollBack.Dispose();
        }
    }
}
