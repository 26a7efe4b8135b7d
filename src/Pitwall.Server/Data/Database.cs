using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Pitwall.Server.Data;

/// <summary>
/// The one door to storage. Reads run on their own connection; writes run in a transaction and, on SQLite,
/// one at a time per database (SQLite allows a single writer; queuing here beats spinning on SQLITE_BUSY).
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);
    // SQLite's one writer keeps its connection (and its settings) for the life of the process; only used under _sqliteWriter.
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

    /// <summary>Runs <paramref name="work"/> in one transaction; commits when it returns, rolls back when it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var sqlite = _postgres is null;
        if (sqlite)
        {
            await _sqliteWriter.WaitAsync(cancellationToken);
        }
        try
        {
            if (sqlite)
            {
                var writer = await SqliteWriterAsync(cancellationToken);
                // BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half-way on upgrade.
                await using var transaction = writer.BeginTransaction(deferred: false);
                var result = await work(writer, transaction);
                await transaction.CommitAsync(cancellationToken);
                RunAfterCommit(transaction);
                return result;
            }
            await using var connection = await OpenAsync(cancellationToken);
            await using var pgTransaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var pgResult = await work(connection, pgTransaction);
            await pgTransaction.CommitAsync(cancellationToken);
            RunAfterCommit(pgTransaction);
            return pgResult;
        }
        finally
        {
            if (sqlite)
            {
                _sqliteWriter.Release();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction (begun by <see cref="WriteAsync{T}"/>) has committed, and never
    /// when it rolls back: e.g. waking a job for rows the transaction queued. Keep it cheap and non-throwing.
    /// </summary>
    public static void AfterCommit(DbTransaction transaction, Action action) =>
        AfterCommitActions.GetOrAdd(transaction, _ => []).Add(action);

    private static readonly ConditionalWeakTable<DbTransaction, List<Action>> AfterCommitActions = [];

    private static void RunAfterCommit(DbTransaction transaction)
    {
        if (AfterCommitActions.TryGetValue(transaction, out var actions))
        {
            AfterCommitActions.Remove(transaction);
            foreach (var action in actions)
            {
                action();
            }
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_sqliteWriterConnection is not null)
        {
            await _sqliteWriterConnection.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        _sqliteWriter.Dispose();
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
