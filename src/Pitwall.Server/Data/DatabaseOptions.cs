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

    public const string AutoSqlite = "auto";
    public const string BundledSqlite = "bundled";
    public const string SystemSqlite = "libsqlite3.so.0";

    /// <summary>
    /// Which SQLite library to use: <c>auto</c> (the system's <c>libsqlite3.so.0</c>, Debian package <c>libsqlite3-0</c>,
    /// when it is installed, else the bundled SQLite 3.35.5), <c>bundled</c>, or a library file name or path. The bundled
    /// build lacks <c>usleep</c>: whenever SQLite backs off on a lock (a WAL read mark taken by another connection, a busy
    /// writer) it sleeps a whole second, which shows as 1-s stalls under many concurrent requests (bench/README.md §3).
    /// One library per process: the first database opened decides.
    /// </summary>
    public string SqliteLibrary { get; set; } = AutoSqlite;

    /// <summary>How long a SQLite connection waits for the write lock held by another process.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;

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
