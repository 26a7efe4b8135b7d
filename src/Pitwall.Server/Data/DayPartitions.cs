using System.Collections.Concurrent;
using System.Globalization;
using Dapper;

namespace Pitwall.Server.Data;

/// <summary>
/// Daily range partitions of a PostgreSQL history table (declarative partitioning on an epoch-millisecond column), so
/// that expiry drops whole days instead of deleting rows one by one. A partitioned table has a default partition
/// (<c>{table}_default</c>, created by its migration) as a safety net, and one partition per UTC day
/// (<c>{table}_pYYYYMMDD</c>) created ahead by the retention job, on demand by writers that ask for it (the access log),
/// and by the retention job for rows that wait in the default partition. On SQLite nothing is partitioned and every
/// method here does nothing.
/// </summary>
public sealed partial class DayPartitions(Database database, ILogger<DayPartitions> logger)
{
    private readonly ConcurrentDictionary<(string Table, DateOnly Day), bool> _known = new();

    public bool Enabled => database.Dialect == SqlDialect.Postgres;

    public static string NameOf(string table, DateOnly day) => $"{table}_p{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    public static string DefaultOf(string table) => $"{table}_default";

    public static long StartOf(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static DateOnly DayOf(long epochMilliseconds) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds).UtcDateTime);

    /// <summary>
    /// Makes sure the partition of <paramref name="day"/> exists. Rows of that day already in the default partition
    /// (written while it was missing) move into it. Safe when several instances race: one creates, the others find it.
    /// </summary>
    /// <param name="table">The partitioned table; names come from code, never from input.</param>
    /// <param name="column">Its partition key (epoch milliseconds).</param>
    public async Task EnsureAsync(string table, string column, DateOnly day, CancellationToken cancellationToken)
    {
        if (!Enabled || _known.ContainsKey((table, day)))
        {
            return;
        }
        var name = NameOf(table, day);
        var created = await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@table))", new { table }, t);
            if (await c.ExecuteScalarAsync<string?>("SELECT to_regclass(@name)::text", new { name }, t) is not null)
            {
                return false;
            }
            var bounds = new { from = StartOf(day), to = StartOf(day.AddDays(1)) };
            // Hold off writers of the default partition, so that no row of this day slips in between the move and the attach.
            await c.ExecuteAsync($"LOCK TABLE {DefaultOf(table)} IN EXCLUSIVE MODE", transaction: t);
            await c.ExecuteAsync($"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)", transaction: t);
            await c.ExecuteAsync(
                $"WITH moved AS (DELETE FROM {DefaultOf(table)} WHERE {column} >= @from AND {column} < @to RETURNING *) INSERT INTO {name} SELECT * FROM moved",
                bounds, t);
            await c.ExecuteAsync($"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM ({bounds.from}) TO ({bounds.to})", transaction: t);
            return true;
        }, cancellationToken);
        _known[(table, day)] = true;
        if (created)
        {
            LogCreated(logger, name);
        }
    }

    /// <summary>
    /// Moves rows that wait in the default partition into partitions of their own days (created here), oldest day first
    /// and at most <paramref name="maxDays"/> days per call: rows written while their day had no partition, and the rows
    /// a migration copied into a newly partitioned table. Only rows from <paramref name="from"/> (inclusive) to
    /// <paramref name="before"/> (exclusive) are looked at (epoch milliseconds); each day is moved in its own transaction.
    /// </summary>
    /// <returns>The days whose partition was made (or found).</returns>
    public async Task<IReadOnlyList<DateOnly>> MoveOutOfDefaultAsync(
        string table, string column, long from, long before, int maxDays, CancellationToken cancellationToken)
    {
        var days = new List<DateOnly>();
        if (!Enabled)
        {
            return days;
        }
        var next = from;
        while (days.Count < maxDays && next < before)
        {
            var oldest = await database.ReadAsync(c => c.ExecuteScalarAsync<long?>(
                $"SELECT min({column}) FROM {DefaultOf(table)} WHERE {column} >= @next AND {column} < @before", new { next, before }), cancellationToken);
            if (oldest is not { } at)
            {
                break;
            }
            var day = DayOf(at);
            _known.TryRemove((table, day), out _); // another instance may have dropped it since
            await EnsureAsync(table, column, day, cancellationToken);
            days.Add(day);
            next = StartOf(day.AddDays(1));
        }
        return days;
    }

    /// <summary>The days that have a partition, oldest first.</summary>
    public async Task<IReadOnlyList<DateOnly>> ListAsync(string table, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return [];
        }
        var names = await database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(@table)", new { table }), cancellationToken);
        var prefix = table + "_p";
        return names
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => DateOnly.TryParseExact(n[prefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : (DateOnly?)null)
            .OfType<DateOnly>()
            .Order()
            .ToList();
    }

    /// <summary>Drops every partition all of whose rows are older than <paramref name="cutoff"/> (epoch milliseconds).</summary>
    /// <returns>The rows the dropped partitions held, and the days whose partitions remain (oldest first).</returns>
    public async Task<(long Removed, IReadOnlyList<DateOnly> Kept)> DropBeforeAsync(string table, long cutoff, CancellationToken cancellationToken)
    {
        long removed = 0;
        var days = await ListAsync(table, cancellationToken);
        var dropped = 0;
        foreach (var day in days)
        {
            if (StartOf(day.AddDays(1)) > cutoff)
            {
                break;
            }
            var name = NameOf(table, day);
            removed += await database.WriteAsync(async (c, t) =>
            {
                var rows = await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {name}", transaction: t);
                await c.ExecuteAsync($"DROP TABLE {name}", transaction: t);
                return rows;
            }, cancellationToken);
            _known.TryRemove((table, day), out _);
            LogDropped(logger, name);
            dropped++;
        }
        return (removed, days.Skip(dropped).ToList());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created partition {Partition}")]
    private static partial void LogCreated(ILogger logger, string partition);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped expired partition {Partition}")]
    private static partial void LogDropped(ILogger logger, string partition);
}
