using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Pitwall.Server.Data;

/// <summary>
/// The one door to storage. Reads run on their own connection; writes run in a transaction and, on SQLite,
/// one at a time per database (SQLite allows a single writer; queuing here beats spinning on SQLITE_BUSY), the writes
/// that wait meanwhile committed together (group commit, see <see cref="WriteAsync{T}"/>).
/// </summary>
public sealed class Database : IAsyncDisposable
{
    // SQLite's one writer keeps its connection (and its settings) for the life of the process; only used by the writer loop.
    private SqliteConnection? _sqliteWriterConnection;
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _sqliteConnectionString = "";
    private readonly int _busyTimeoutMs;

    public Database(IOptions<DatabaseOptions> options)
    {
        var settings = options.Value;
        Dialect = settings.Dialect;
        _busyTimeoutMs = settings.BusyTimeoutMilliseconds;
        if (Dialect == SqlDialect.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(ToNpgsql(settings.ConnectionString));
        }
        else
        {
            UseSqliteLibrary(settings.SqliteLibrary);
            SQLitePCL.Batteries_V2.Init();
            // Readers wait for a busy database as long as the writer does (WAL readers rarely have to).
            var builder = new SqliteConnectionStringBuilder(settings.ConnectionString)
            {
                Pooling = true,
                DefaultTimeout = Math.Max(1, (_busyTimeoutMs + 999) / 1000),
            };
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
            _sqliteConnectionString = builder.ToString();
        }
    }

    public SqlDialect Dialect { get; }

    private static readonly Lock SqliteLibraryChoice = new();
    private static string? s_sqliteLibrary;

    /// <summary>
    /// Chooses the SQLite library before the provider's first call: <c>auto</c> takes the system's <c>libsqlite3.so.0</c>
    /// when it loads and the bundled one otherwise, <c>bundled</c> the bundled one, anything else that library.
    /// </summary>
    private static void UseSqliteLibrary(string library)
    {
        lock (SqliteLibraryChoice)
        {
            if (s_sqliteLibrary is null)
            {
                if (library != DatabaseOptions.BundledSqlite)
                {
                    System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly,
                        (name, assembly, path) => name != "e_sqlite3" ? IntPtr.Zero
                            : library != DatabaseOptions.AutoSqlite ? System.Runtime.InteropServices.NativeLibrary.Load(library, assembly, path)
                            : System.Runtime.InteropServices.NativeLibrary.TryLoad(DatabaseOptions.SystemSqlite, assembly, path, out var system) ? system
                            : IntPtr.Zero); // not there: the bundled library, found the usual way
                }
                s_sqliteLibrary = library;
            }
            else if (s_sqliteLibrary != library)
            {
                throw new InvalidOperationException(
                    $"This process already uses the SQLite library '{s_sqliteLibrary}'; one library per process.");
            }
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>The writer's connection, opened once: busy timeout and foreign keys are set on it, not on every transaction.</summary>
    private async Task<SqliteConnection> SqliteWriterAsync(CancellationToken cancellationToken)
    {
        if (_sqliteWriterConnection is { State: ConnectionState.Open } open)
        {
            return open;
        }
        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA foreign_keys = ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return _sqliteWriterConnection = connection;
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction; commits when it returns, rolls back when it throws. The returned
    /// task completes only once the transaction has committed (or failed).
    /// </summary>
    /// <remarks>
    /// On SQLite, writes are group-committed: the one writer takes every write waiting when it is free and runs them, in
    /// the order they came, in one transaction, each inside a savepoint of its own. A write that throws is rolled back to
    /// its savepoint (and its <see cref="AfterCommit"/> actions dropped) without touching the others; each caller learns
    /// its outcome only after the shared COMMIT, so nothing is reported stored before it is durable. This spares a commit
    /// (and a WAL sync) per write: SQLite commits are the single writer's main cost under many small writes.
    /// </remarks>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_postgres is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var write = new PendingWrite<T>(work, cancellationToken);
            EnsureSqliteWriter();
            if (!_sqliteWrites.Writer.TryWrite(write))
            {
                throw new ObjectDisposedException(nameof(Database));
            }
            return await write.Completion.Task;
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using var pgTransaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var pgResult = await work(connection, pgTransaction);
        await pgTransaction.CommitAsync(cancellationToken);
        RunAfterCommit(pgTransaction, 0, int.MaxValue);
        AfterCommitActions.Remove(pgTransaction);
        return pgResult;
    }

    /// <summary>Most writes committed together; a group's writes wait for each other, so it is bounded.</summary>
    internal const int MaxGroupSize = 256;

    private readonly Channel<PendingWrite> _sqliteWrites = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _sqliteWriterStart = new();
    private Task? _sqliteWriterLoop;

    private void EnsureSqliteWriter()
    {
        if (Volatile.Read(ref _sqliteWriterLoop) is not null)
        {
            return;
        }
        lock (_sqliteWriterStart)
        {
            _sqliteWriterLoop ??= Task.Run(SqliteWriterLoopAsync);
        }
    }

    private async Task SqliteWriterLoopAsync()
    {
        var group = new List<PendingWrite>(MaxGroupSize);
        var reader = _sqliteWrites.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroupSize && reader.TryRead(out var write))
            {
                if (write.Cancellation.IsCancellationRequested)
                {
                    write.Cancel(); // given up while it waited: never run
                    continue;
                }
                group.Add(write);
            }
            if (group.Count > 0)
            {
                await CommitGroupAsync(group);
                group.Clear();
            }
        }
    }

    private async Task CommitGroupAsync(List<PendingWrite> group)
    {
        SqliteTransaction? transaction = null;
        try
        {
            var writer = await SqliteWriterAsync(CancellationToken.None);
            // BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half-way on upgrade.
            transaction = writer.BeginTransaction(deferred: false);
            if (group.Count == 1)
            {
                await group[0].RunAsync(writer, transaction, 0); // alone: its failure rolls back the transaction
            }
            else
            {
                await using var savepoints = new Savepoints(writer, transaction);
                foreach (var write in group)
                {
                    var actions = AfterCommitCount(transaction);
                    await savepoints.BeginAsync();
                    try
                    {
                        await write.RunAsync(writer, transaction, actions);
                    }
                    catch (Exception e)
                    {
                        write.Failure = e;
                        DropAfterCommit(transaction, actions); // registered by the write that is being undone
                        await savepoints.RollBackAsync(); // throws when the transaction itself is lost: then the group fails
                        continue;
                    }
                    await savepoints.ReleaseAsync();
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

    /// <summary>One write waiting for the SQLite writer.</summary>
    private abstract class PendingWrite(CancellationToken cancellation)
    {
        public CancellationToken Cancellation { get; } = cancellation;

        public Exception? Failure { get; set; }

        /// <summary>The write's own <see cref="AfterCommit"/> actions: this range of the transaction's list.</summary>
        public int AfterCommitFrom { get; private set; }

        public int AfterCommitTo { get; private set; }

        public async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction, int actionsBefore)
        {
            AfterCommitFrom = actionsBefore;
            try
            {
                await RunWorkAsync(connection, transaction);
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
    private sealed class Savepoints(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        private readonly SqliteCommand _begin = Create(connection, transaction, "SAVEPOINT pitwall_write");
        private readonly SqliteCommand _release = Create(connection, transaction, "RELEASE pitwall_write");
        private readonly SqliteCommand _rollBack = Create(connection, transaction, "ROLLBACK TO pitwall_write; RELEASE pitwall_write");

        public Task BeginAsync() => _begin.ExecuteNonQueryAsync();

        public Task ReleaseAsync() => _release.ExecuteNonQueryAsync();

        public Task RollBackAsync() => _rollBack.ExecuteNonQueryAsync();

        private static SqliteCommand Create(SqliteConnection connection, SqliteTransaction transaction, string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            await _begin.DisposeAsync();
            await _release.DisposeAsync();
            await _rollBack.DisposeAsync();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction (begun by <see cref="WriteAsync{T}"/>) has committed, and never
    /// when it rolls back: e.g. waking a job for rows the transaction queued. Keep it cheap and non-throwing.
    /// </summary>
    public static void AfterCommit(DbTransaction transaction, Action action) =>
        AfterCommitActions.GetOrAdd(transaction, _ => []).Add(action);

    private static readonly ConditionalWeakTable<DbTransaction, List<Action>> AfterCommitActions = [];

    private static int AfterCommitCount(DbTransaction transaction) =>
        AfterCommitActions.TryGetValue(transaction, out var actions) ? actions.Count : 0;

    private static void DropAfterCommit(DbTransaction transaction, int from)
    {
        if (AfterCommitActions.TryGetValue(transaction, out var actions) && actions.Count > from)
        {
            actions.RemoveRange(from, actions.Count - from);
        }
    }

    /// <summary>Runs the actions <paramref name="from"/> up to <paramref name="to"/> registered on the committed transaction.</summary>
    private static void RunAfterCommit(DbTransaction transaction, int from, int to)
    {
        if (!AfterCommitActions.TryGetValue(transaction, out var actions))
        {
            return;
        }
        for (var i = from; i < Math.Min(to, actions.Count); i++)
        {
            actions[i]();
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _sqliteWrites.Writer.TryComplete();
        if (Volatile.Read(ref _sqliteWriterLoop) is { } loop)
        {
            await loop; // what was queued is still written
        }
        if (_sqliteWriterConnection is not null)
        {
            await _sqliteWriterConnection.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>Accepts <c>postgres://user:password@host:port/database</c> as well as Npgsql's own key=value form.</summary>
    internal static string ToNpgsql(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) ||
            (uri.Scheme != "postgres" && uri.Scheme != "postgresql"))
        {
            return connectionString;
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }
        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }
        return builder.ToString();
    }
}
