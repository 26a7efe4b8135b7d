using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Privacy;

/// <summary>
/// Deletes rows whose timed retention (REQUIREMENTS P3) has run out: a row goes once its age column plus the category's
/// period lies in the past. Deletes in bounded batches so that a large backlog never holds the database for long.
/// On PostgreSQL, tables partitioned by day (<see cref="CategoryTable.PartitionedByDay"/>) lose whole days instead: a
/// day's partition is dropped once all of it has expired, and the expired rows of the day that holds the cutoff and of
/// the default partition are deleted in batches like any other — so expiry is exact to the second on both engines.
/// The partitions of the coming days are created ahead, and rows waiting in the default partition move into their days.
/// </summary>
public sealed partial class RetentionSweeper(
    Database database, DataCategoryRegister register, DayPartitions partitions, TimeProvider time, ILogger<RetentionSweeper> logger)
{
    /// <summary>How many days ahead (today included) the partitions of a partitioned table are created.</summary>
    internal const int PartitionDaysAhead = 3;

    /// <summary>How many days of rows waiting in a default partition (a migration's copy, days the job missed) move into
    /// partitions of their own per table and run; each is a short transaction of its own.</summary>
    internal const int DefaultPartitionDaysPerRun = 14;

    internal const int BatchSize = 1000;
    internal const int MaxBatchesPerTable = 100;

    /// <returns>Rows removed per category id (categories with nothing to remove are left out).</returns>
    public async Task<IReadOnlyDictionary<string, long>> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var category in register.All)
        {
            if (category.Retention.Kind is not (RetentionKind.Period or RetentionKind.PeriodUnused or RetentionKind.DurationOfRequest) || category.Retention.Period is not { } period)
            {
                continue;
            }
            var cutoff = (now - period).ToUnixTimeMilliseconds();
            foreach (var table in category.Tables.Where(t => t.AgeColumn is not null))
            {
                var count = table.PartitionedByDay && partitions.Enabled
                    ? await SweepPartitionedAsync(table, now, cutoff, cancellationToken)
                    : await SweepTableAsync(table.Name, table.AgeColumn!, cutoff, cancellationToken);
                if (count > 0)
                {
                    removed[category.Id] = removed.GetValueOrDefault(category.Id) + count;
                }
            }
        }
        foreach (var (category, count) in removed)
        {
            LogRemoved(logger, category, count);
        }
        // The run's record: counts only, so that the removal itself can be shown without keeping what was removed.
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO retention_runs (id, started_at, finished_at, removed) VALUES (@id, @started, @finished, @removed)",
            new
            {
                id = Guid.CreateVersion7(now).ToString(), started = now.ToUnixTimeMilliseconds(), finished = time.GetUtcNow().ToUnixTimeMilliseconds(),
                removed = System.Text.Json.JsonSerializer.Serialize(removed),
            }, t), cancellationToken);
        return removed;
    }

    /// <summary>The latest runs, newest first.</summary>
    public async Task<IReadOnlyList<RetentionRunResponse>> RunsAsync(int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string Id, long StartedAt, long FinishedAt, string Removed)>(
            "SELECT id, started_at, finished_at, removed FROM retention_runs ORDER BY finished_at DESC, id DESC LIMIT @limit", new { limit }), cancellationToken))
        .Select(r => new RetentionRunResponse(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.StartedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.FinishedAt),
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(r.Removed)!))
        .ToList();

    private async Task<long> SweepPartitionedAsync(CategoryTable table, DateTimeOffset now, long cutoff, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var day = 0; day < PartitionDaysAhead; day++)
        {
            await partitions.EnsureAsync(table.Name, table.AgeColumn!, today.AddDays(day), cancellationToken);
        }
        // Whole days first: every partition whose day ended at or before the cutoff.
        var (removed, kept) = await partitions.DropBeforeAsync(table.Name, cutoff, cancellationToken);
        // Rows in the default partition that have not expired yet move into their days, so that they go as whole days later.
        var moved = await partitions.MoveOutOfDefaultAsync(
            table.Name, table.AgeColumn!, cutoff, DayPartitions.StartOf(today), DefaultPartitionDaysPerRun, cancellationToken);
        // The day that holds the cutoff has expired only in part (its partition was kept, or the move just made it, with
        // all of that day's rows), and the default partition may hold any day: row by row.
        var cutoffDay = DayPartitions.DayOf(cutoff);
        if (kept.Contains(cutoffDay) || moved.Contains(cutoffDay))
        {
            removed += await SweepTableAsync(DayPartitions.NameOf(table.Name, cutoffDay), table.AgeColumn!, cutoff, cancellationToken);
        }
        return removed + await SweepTableAsync(DayPartitions.DefaultOf(table.Name), table.AgeColumn!, cutoff, cancellationToken);
    }

    private async Task<long> SweepTableAsync(string name, string ageColumn, long cutoff, CancellationToken cancellationToken)
    {
        // Table and column names come from code (the register), never from input.
        var rowId = database.Dialect == SqlDialect.Postgres ? "ctid" : "rowid";
        var sql = $"DELETE FROM {name} WHERE {rowId} IN (SELECT {rowId} FROM {name} WHERE {ageColumn} < @cutoff LIMIT {BatchSize})";
        long total = 0;
        for (var batch = 0; batch < MaxBatchesPerTable; batch++)
        {
            var deleted = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(sql, new { cutoff }, transaction), cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                break;
            }
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Count} rows of category {Category}")]
    private static partial void LogRemoved(ILogger logger, string category, long count);
}

/// <param name="Removed">Rows removed per data category (categories with nothing to remove are left out).</param>
public sealed record RetentionRunResponse(string Id, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, IReadOnlyDictionary<string, long> Removed);
