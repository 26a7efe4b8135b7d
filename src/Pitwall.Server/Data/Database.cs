using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Pitwall.Server.Data;

/// <summary>
/// The one door to storage. Reads run on their own connection; writes run in a transaction and, on SQLite,
/// one at a time per database (SQLite allows a single writer; queuing here beats spinning on SQLITE_BUSY), the writes
/// that wait meanwhile committed together (group commit, see <see cref="WriteAsync{T}"/>).
/// </summary>
public sealed partial class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _sqliteConnectionString = "";
    private readonly SqliteReaders? _sqliteReaders;
    private readonly int _busyTimeoutMs;
    private readonly int _checkpointPages;
    private readonly int _writerCacheKiB;

    public Database(IOptions<DatabaseOptions> options, System.Diagnostics.Metrics.IMeterFactory? meters = null)
    {
        var settings = options.Value;
        Dialect = settings.Dialect;
        _busyTimeoutMs = settings.BusyTimeoutMilliseconds;
        _checkpointPages = Math.Max(100, settings.CheckpointPages);
        _writerCacheKiB = settings.WriterCacheMiB * 1024;
        if (Dialect == SqlDialect.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(WithPreparedStatements(ToNpgsql(settings.ConnectionString)));
        }
        else
        {
            // Always the bundled SQLite (SQLitePCLRaw.lib.e_sqlite3): the same library on every Linux, built with
            // nanosleep, so a connection backing off on a lock sleeps milliseconds (2.0.x's build slept whole seconds).
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
            _sqliteReaders = new SqliteReaders(_sqliteConnectionString);
        }
        CreateInstruments(meters);
    }

    public SqlDialect Dialect { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        var connection = new AtNamedConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> on a read connection: on SQLite one kept open with its compiled statements
    /// (<see cref="SqliteReaders"/>); on PostgreSQL a pooled one (Npgsql keeps its prepared statements).</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        using var span = StartSpan("db read");
        if (_sqliteReaders is null)
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await work(connection);
        }
        var reader = await _sqliteReaders.RentAsync(cancellationToken);
        var clean = false;
        try
        {
            var result = await work(reader);
            clean = true;
            return result;
        }
        finally
        {
            _sqliteReaders.Return(reader, clean);
        }
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
        using var span = StartSpan("db write"); // on SQLite: its wait for the writer, its statements and the group's COMMIT
        if (_postgres is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var write = new PendingWrite<T>(work, cancellationToken);
            EnsureSqliteWriter();
            Interlocked.Increment(ref _sqliteQueued);
            if (!_sqliteWrites.Writer.TryWrite(write))
            {
                Interlocked.Decrement(ref _sqliteQueued);
                throw new ObjectDisposedException(nameof(Database));
            }
            WakeWriter();
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
        WakeWriter();
        if (Volatile.Read(ref _sqliteWriterStopped) is { } stopped)
        {
            await stopped.Task; // what was queued is still written
        }
        _checkpointer?.Dispose();
        _sqliteReaders?.Dispose();
        if (_sqliteWriterConnection is not null)
        {
            await _sqliteWriterConnection.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>
    /// Unless the connection string says otherwise: Npgsql prepares the statements a connection runs repeatedly (PostgreSQL
    /// then parses and plans each once per connection, not per call: most of a command's statements are short, so planning
    /// was a large part of their cost, bench/README.md §8), and keeps a pooled connection's state when it goes back to the
    /// pool instead of running <c>DISCARD ALL</c> on its next use (which would also drop the prepared statements). Pitwall
    /// leaves no session state behind: its locks and settings are the transaction's (<c>pg_advisory_xact_lock</c>,
    /// <c>SET LOCAL</c>).
    /// </summary>
    internal static string WithPreparedStatements(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ToString();
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
