using Microsoft.Data.Sqlite;

namespace Pitwall.Server.Data;

/// <summary>Batches that SQLite's one writer takes itself when it is free (<see cref="Database.SetWriterBatches"/>).</summary>
public interface IWriterBatches
{
    /// <summary>Whether a batch waits (cheap; read by the writer before it sleeps).</summary>
    bool Waiting { get; }

    /// <summary>On the writer's thread, when it is free: takes what waits as one batch; null when nothing does.</summary>
    IWriterBatch? Take();
}

/// <summary>One batch taken by the writer: its statements, then its answer, both on the writer's thread.</summary>
public interface IWriterBatch
{
    /// <summary>The batch's statements, inside the group's transaction (in a savepoint of its own when the group has others).</summary>
    Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

    /// <summary>After the group's COMMIT (<paramref name="failure"/> null: durable), or its rollback: nothing of it stored.
    /// Must not throw, and must not wait: the writer serves every other write after it.</summary>
    void Complete(Exception? failure);
}
