using System.Globalization;
using System.Reflection;
using Dapper;

namespace Pitwall.Server.Data;

/// <summary>
/// Applies the versioned SQL files under <c>Data/Migrations/{sqlite,postgres}</c> (embedded in the binary), each once,
/// in order, and records them in <c>schema_migrations</c>.
/// </summary>
public sealed partial class Migrator(Database database, TimeProvider time, ILogger<Migrator> logger)
{
    // Any constant works; it only has to be the same for every instance of Pitwall sharing a database.
    private const long PostgresMigrationLockKey = 0x5069_7477_616C_6C;

    internal static IReadOnlyList<Migration> Known(SqlDialect dialect)
    {
        var prefix = $"migrations/{(dialect == SqlDialect.Postgres ? "postgres" : "sqlite")}/";
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Migration.FromResource(assembly, name, prefix))
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>Applies all pending migrations in one transaction: a failure leaves the database as it was.</summary>
    /// <returns>The migrations applied by this call (empty when the database was up to date).</returns>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken)
    {
        var known = Known(database.Dialect);
        var applied = new List<Migration>();
        if (database.Dialect == SqlDialect.Sqlite)
        {
            // WAL lets readers go on while the one writer writes; the mode is stored in the file and cannot change inside a transaction.
            await database.ReadAsync(connection => connection.ExecuteAsync("PRAGMA journal_mode = WAL"), cancellationToken);
        }
        await database.WriteAsync(async (connection, transaction) =>
        {
            if (database.Dialect == SqlDialect.Postgres)
            {
                // Several instances may start together: the first migrates, the others wait and then find nothing to do.
                await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresMigrationLockKey }, transaction);
            }
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)",
                transaction: transaction);
            var done = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: transaction)).ToHashSet();
            var newest = known.Count == 0 ? 0 : known[^1].Version;
            var unknown = done.Where(v => v > newest).ToList();
            if (unknown.Count > 0)
            {
                throw new DatabaseTooNewException(unknown.Max(), newest);
            }
            foreach (var migration in known.Where(m => !done.Contains(m.Version)))
            {
                await connection.ExecuteAsync(migration.Sql, transaction: transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @at)",
                    new { migration.Version, migration.Name, at = time.GetUtcNow().ToUnixTimeMilliseconds() },
                    transaction);
                LogApplied(logger, migration.Version, migration.Name);
                applied.Add(migration);
            }
        }, cancellationToken);
        return applied;
    }

    public async Task<IReadOnlyList<long>> AppliedVersionsAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(async connection =>
            (await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList(), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} {Name}")]
    private static partial void LogApplied(ILogger logger, long version, string name);
}

public sealed record Migration(long Version, string Name, string Sql)
{
    internal static Migration FromResource(Assembly assembly, string resource, string prefix)
    {
        var file = resource[prefix.Length..^".sql".Length];
        var separator = file.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || !long.TryParse(file[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration '{resource}' must be named NNNN_name.sql.");
        }
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, file[(separator + 1)..], reader.ReadToEnd());
    }
}

/// <summary>The database was migrated by a newer Pitwall; running an older binary on it could corrupt data.</summary>
public sealed class DatabaseTooNewException(long databaseVersion, long binaryVersion)
    : Exception($"The database is at schema version {databaseVersion} but this Pitwall knows only up to {binaryVersion}. Upgrade Pitwall.")
{
    public long DatabaseVersion { get; } = databaseVersion;
    public long BinaryVersion { get; } = binaryVersion;
}
