namespace Pitwall.Server.Data;

/// <summary>Where Pitwall keeps its data. SQLite by default; PostgreSQL when the connection string says so.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Pitwall:Database";
    public const string EnvironmentVariable = "PITWALL_DATABASE";
    public const string DefaultSqlite = "Data Source=./data/pitwall.db";

    /// <summary>A SQLite connection string (<c>Data Source=…</c>), an Npgsql one (<c>Host=…</c>) or a <c>postgres://</c> URI.</summary>
    public string ConnectionString { get; set; } = DefaultSqlite;

    /// <summary>Apply pending migrations when the server starts (the <c>migrate</c> command does it on demand).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How long a SQLite connection waits for the write lock held by another process.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>
    /// SQLite: the write-ahead log's size in pages from which the writer, after a commit, copies what the checkpoint thread
    /// has not yet copied into the database, so that the log starts over (SQLite's own checkpoint in a COMMIT stays as a
    /// backstop at four times this). At least 100.
    /// </summary>
    public int CheckpointPages { get; set; } = 1000;

    /// <summary>SQLite's page cache of the one writer connection, in MiB. The writer touches every car's rows in turn (a
    /// batch of reports updates thousands of them), so a cache smaller than those tables makes it read pages back from the
    /// operating system in every transaction (issue 17). SQLite's own default is 2 MiB.</summary>
    [System.ComponentModel.DataAnnotations.Range(2, 4096)]
    public int WriterCacheMiB { get; set; } = 64;

    public SqlDialect Dialect => DialectOf(ConnectionString);

    public static SqlDialect DialectOf(string connectionString)
    {
        var text = connectionString.TrimStart();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return SqlDialect.Postgres;
        }
        return SqlDialect.Sqlite;
    }
}

public enum SqlDialect
{
    Sqlite,
    Postgres,
}
