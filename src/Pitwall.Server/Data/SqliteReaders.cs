using System.Collections.Concurrent;
using System.Data;
using SQLitePCL;

namespace Pitwall.Server.Data;

/// <summary>
/// SQLite's read connections, kept open with their compiled statements (<see cref="StatementCachingConnection"/>, as the
/// writer's): a pooled <c>SqliteConnection</c> compiles every statement anew on each read, which was most of SQLite's
/// share of a DDI poll (two reads, three statements: bench/README.md §7, seventeenth session). A read takes an idle
/// connection or opens one, and hands it back when it ends cleanly with no statement left running; any other connection
/// (the read threw, a reader was left open, the idle ones are already <see cref="Capacity"/>) is closed.
/// </summary>
internal sealed class SqliteReaders(string connectionString) : IDisposable
{
    /// <summary>Idle connections kept at most: more reads at once open connections of their own that are closed after.</summary>
    internal static readonly int Capacity = Math.Max(4, 2 * Environment.ProcessorCount);

    private readonly ConcurrentQueue<StatementCachingConnection> _idle = new();
    private int _idleCount;
    private bool _disposed;

    internal int IdleCount => Volatile.Read(ref _idleCount);

    public async Task<StatementCachingConnection> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }
        var connection = new StatementCachingConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return connection;
    }

    /// <param name="clean">The read ended without an exception.</param>
    public void Return(StatementCachingConnection connection, bool clean)
    {
        if (clean && !Volatile.Read(ref _disposed) && connection.State == ConnectionState.Open && Idle(connection))
        {
            if (Interlocked.Increment(ref _idleCount) <= Capacity)
            {
                _idle.Enqueue(connection);
                return;
            }
            Interlocked.Decrement(ref _idleCount); // enough idle ones already
        }
        connection.Dispose();
    }

    /// <summary>No transaction open and every command given back (Dapper disposes a command with its reader: a reader left
    /// open would hold its snapshot, and with it the WAL's checkpoint, for as long as the connection lay idle).</summary>
    private static bool Idle(StatementCachingConnection connection) =>
        connection.Handle is { } db && raw.sqlite3_get_autocommit(db) != 0 && connection.RentedCount == 0;

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        while (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
        }
    }
}
