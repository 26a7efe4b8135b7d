using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Privacy;

/// <summary>
/// The history tables the register declares partitioned by day (<see cref="CategoryTable.PartitionedByDay"/>): on
/// PostgreSQL they are exactly the partitioned tables, each with a default partition, and on both engines their rows
/// expire to the second while, on PostgreSQL, whole old days are dropped. Generic over the register, so a table declared
/// partitioned later is covered without a new test.
/// </summary>
public abstract class PartitionedHistoryTests(PitwallServer server)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private sealed record Partitioned(DataCategory Category, CategoryTable Table, TimeSpan Period)
    {
        public string Column => Table.AgeColumn!;

        public override string ToString() => Table.Name;
    }

    private IReadOnlyList<Partitioned> Declared() =>
        server.Get<DataCategoryRegister>().All
            .SelectMany(c => c.Tables.Where(t => t.PartitionedByDay).Select(t => new Partitioned(c, t, c.Retention.Period ?? TimeSpan.Zero)))
            .OrderBy(p => p.Table.Name, StringComparer.Ordinal)
            .ToList();

    private Task SweepAsync() => server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);

    [Fact]
    public async Task The_tables_declared_partitioned_by_day_are_exactly_the_partitioned_ones_each_with_a_default_partition()
    {
        var declared = Declared();
        Assert.NotEmpty(declared);
        foreach (var p in declared)
        {
            // The retention job only looks after tables with an age column and a timed retention.
            Assert.True(p.Table.AgeColumn is not null, $"{p} is partitioned by day but has no age column");
            Assert.True(p.Category.Retention.Kind is RetentionKind.Period && p.Period > TimeSpan.Zero, $"{p} is partitioned by day but has no retention period");
        }
        if (server.Dialect != SqlDialect.Postgres)
        {
            return;
        }
        var actual = (await server.Get<Database>().ReadAsync(c => c.QueryAsync<(string Table, string Key, string? DefaultPartition)>(
                """
                SELECT c.relname, pg_get_partkeydef(p.partrelid), d.relname
                FROM pg_partitioned_table p
                JOIN pg_class c ON c.oid = p.partrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_class d ON d.oid = p.partdefid
                WHERE n.nspname = current_schema() AND NOT c.relispartition
                """), CancellationToken.None))
            .OrderBy(t => t.Table, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(declared.Select(p => p.Table.Name), actual.Select(t => t.Table));
        Assert.Equal(declared.Select(p => (p.Table.Name, $"RANGE ({p.Column})", (string?)DayPartitions.DefaultOf(p.Table.Name))), actual);
    }

    [Fact]
    public async Task Every_partitioned_table_expires_to_the_second_and_drops_its_old_days_whole()
    {
        var (vin, _) = await server.RegisterVehicleAsync();
        foreach (var table in Declared())
        {
            await ExpiresToTheSecondAsync(table, vin);
        }
    }

    private async Task ExpiresToTheSecondAsync(Partitioned table, string vin)
    {
        var database = server.Get<Database>();
        var partitions = server.Get<DayPartitions>();
        var postgres = server.Dialect == SqlDialect.Postgres;
        var name = table.Table.Name;

        // Tomorrow, 01:00: a run makes the partitions of day0 to day0 + 2 ahead.
        var day0 = DateOnly.FromDateTime(server.Clock.GetUtcNow().UtcDateTime).AddDays(1);
        var days = new[] { day0, day0.AddDays(1), day0.AddDays(2), day0.AddDays(4) };
        server.Clock.Advance(DateTimeOffset.FromUnixTimeMilliseconds(DayPartitions.StartOf(day0)) + TimeSpan.FromHours(1) - server.Clock.GetUtcNow());
        await SweepAsync();
        if (postgres)
        {
            Assert.Equal(days[..3], await DaysAsync());
        }

        // A row at 02:00 (and a few odd milliseconds) of day0, day0 + 1 and day0 + 2, and one of day0 + 4, which has no
        // partition yet: it waits in the default partition.
        var offset = Random.Shared.Next(1, 1000);
        var rows = days.Select(d => DayPartitions.StartOf(d) + (long)TimeSpan.FromHours(2).TotalMilliseconds + offset).ToArray();
        foreach (var at in rows)
        {
            await InsertAsync(database, table, vin, at);
        }
        if (postgres)
        {
            Assert.Equal(1, await CountAsync(DayPartitions.DefaultOf(name), [rows[3]]));
            Assert.Equal(1, await CountAsync(DayPartitions.NameOf(name, day0), [rows[0]]));
        }

        for (var i = 0; i < rows.Length; i++)
        {
            var expiry = DateTimeOffset.FromUnixTimeMilliseconds(rows[i]) + table.Period;

            // One second before its period ends the row stays, and so do the later ones.
            server.Clock.Advance(expiry - Second - server.Clock.GetUtcNow());
            var before = await DaysAsync();
            await SweepAsync();
            Assert.True(await CountAsync(name, rows[i..]) == rows.Length - i, $"{name}: row {i} or a later one went before its time");
            if (postgres)
            {
                // The day of the row before has wholly expired: its partition is dropped. The days of this row (which holds
                // the cutoff) and of the later ones stay; the row of day0 + 4 has moved out of the default partition into
                // a partition of its own day.
                var after = await DaysAsync();
                Assert.Equal(days[i..], after);
                Assert.Equal(i == 0 ? before.Count + 1 : before.Count - 1, after.Count);
                Assert.Equal(0, await CountAsync(DayPartitions.DefaultOf(name), rows));
                Assert.Equal(1, await CountAsync(DayPartitions.NameOf(name, days[i]), [rows[i]]));
            }

            // One second after, it is gone: deleted from the partition that holds the cutoff, which itself stays.
            server.Clock.Advance(2 * Second);
            var removed = await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
            Assert.True(await CountAsync(name, rows[i..]) == rows.Length - i - 1, $"{name}: row {i} outlived its period, or a later one went with it");
            Assert.True(removed.GetValueOrDefault(table.Category.Id) >= 1, $"{name}: the run did not count what it removed");
            if (postgres)
            {
                Assert.Equal(days[i..], await DaysAsync());
            }
        }

        // The partitions of the days the rows are in.
        async Task<List<DateOnly>> DaysAsync() => (await partitions.ListAsync(name, CancellationToken.None)).Where(days.Contains).ToList();

        Task<long> CountAsync(string from, long[] times) => database.ReadAsync(
            c => c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {from} WHERE {table.Column} IN ({string.Join(", ", times)})"), CancellationToken.None);
    }

    /// <summary>A row with made-up values: the car's VIN where the table has one, the time in the age column.</summary>
    private async Task InsertAsync(Database database, Partitioned table, string vin, long at)
    {
        var postgres = server.Dialect == SqlDialect.Postgres;
        var columns = (await database.ReadAsync(c => c.QueryAsync<(string Name, string Type, long Generated)>(postgres
            ? """
              SELECT column_name, data_type, CASE WHEN column_default IS NOT NULL OR is_identity = 'YES' THEN 1::bigint ELSE 0::bigint END
              FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position
              """
            : "SELECT name, type, dflt_value IS NOT NULL OR (pk = 1 AND lower(type) = 'integer') FROM pragma_table_info(@table) ORDER BY cid",
            new { table = table.Table.Name }), CancellationToken.None)).Where(c => c.Generated == 0).ToList();
        var values = new DynamicParameters();
        foreach (var (name, type, _) in columns)
        {
            var lower = type.ToLowerInvariant();
            values.Add(name, name == table.Column ? at
                : lower.Contains("int", StringComparison.Ordinal) ? 0L
                : lower.Contains("double", StringComparison.Ordinal) || lower.Contains("real", StringComparison.Ordinal) ? 0.0
                : name == "vin" ? vin
                : $"test-{Guid.NewGuid():N}");
        }
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            $"INSERT INTO {table.Table.Name} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select(c => "@" + c.Name))})",
            values, t), CancellationToken.None);
    }
}

public sealed class PartitionedHistoryOnSqlite(SqliteServer server) : PartitionedHistoryTests(server), IClassFixture<SqliteServer>;

public sealed class PartitionedHistoryOnPostgres(PostgresServer server) : PartitionedHistoryTests(server), IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Migrating_to_partitions_keeps_every_row_and_they_move_into_their_days_later()
    {
        var ct = CancellationToken.None;
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var database = new Database(Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { ConnectionString = test.ConnectionString }));
        var known = Migrator.Known(SqlDialect.Postgres);
        var partitioning = known.Single(m => m.Name == "history_partitions");
        Task ApplyAsync(IEnumerable<Migration> migrations) => database.WriteAsync(async (c, t) =>
        {
            foreach (var migration in migrations)
            {
                await c.ExecuteAsync(migration.Sql, transaction: t);
            }
        }, ct);

        // A database from before: history on two days.
        await ApplyAsync(known.Where(m => m.Version < partitioning.Version));
        var first = DayPartitions.StartOf(new DateOnly(2030, 1, 2)) + 1234;
        var second = DayPartitions.StartOf(new DateOnly(2030, 1, 5)) + 5678;
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO vehicles (vin, model, model_year, created_at) VALUES ('WP0ZZZ00000000001', 'Taycan', 2025, 0)", transaction: t);
            foreach (var (at, n) in new[] { (first, 1), (second, 2) })
            {
                var args = new { at, id = $"id-{n}" };
                await c.ExecuteAsync("INSERT INTO vehicle_logins (occurred_at, vin, event) VALUES (@at, 'WP0ZZZ00000000001', 'login')", args, t);
                await c.ExecuteAsync("INSERT INTO security_log (occurred_at, event, account_id) VALUES (@at, 'login_succeeded', 'account')", args, t);
                await c.ExecuteAsync(
                    "INSERT INTO vehicle_alarms (id, vin, reason, occurred_at, received_at) VALUES (@id, 'WP0ZZZ00000000001', 'door', @at, @at)", args, t);
                await c.ExecuteAsync(
                    "INSERT INTO valet_events (id, vin, valet_id, kind, occurred_at, received_at) VALUES (@id, 'WP0ZZZ00000000001', 'valet', 'started', @at, @at)", args, t);
            }
        }, ct);

        await ApplyAsync([partitioning]);
        var tables = new[] { ("vehicle_logins", "occurred_at"), ("security_log", "occurred_at"), ("vehicle_alarms", "received_at"), ("valet_events", "received_at") };
        Task<long> CountAsync(string from) => database.ReadAsync(c => c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {from}"), ct);
        foreach (var (table, _) in tables)
        {
            Assert.Equal(2, await CountAsync(table));
            Assert.Equal(2, await CountAsync(DayPartitions.DefaultOf(table)));
        }
        // The identity goes on after the copied ids; the copies keep theirs.
        var next = await database.WriteAsync((c, t) => c.ExecuteScalarAsync<long>(
            "INSERT INTO security_log (occurred_at, event) VALUES (@at, 'logout') RETURNING id", new { at = second }, t), ct);
        Assert.Equal(3, next);
        // The car's data still goes with the car.
        Assert.Equal(2, await CountAsync("vehicle_alarms WHERE vin = 'WP0ZZZ00000000001'"));

        var partitions = new DayPartitions(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<DayPartitions>.Instance);
        foreach (var (table, column) in tables)
        {
            var moved = await partitions.MoveOutOfDefaultAsync(table, column, 0, DayPartitions.StartOf(new DateOnly(2031, 1, 1)), 14, ct);
            Assert.Equal([new DateOnly(2030, 1, 2), new DateOnly(2030, 1, 5)], moved);
            Assert.Equal(0, await CountAsync(DayPartitions.DefaultOf(table)));
            Assert.Equal(1, await CountAsync(DayPartitions.NameOf(table, new DateOnly(2030, 1, 2))));
            Assert.Equal(table == "security_log" ? 2 : 1, await CountAsync(DayPartitions.NameOf(table, new DateOnly(2030, 1, 5))));
        }
        await database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM vehicles", transaction: t), ct);
        Assert.Equal(0, await CountAsync("vehicle_alarms") + await CountAsync("valet_events"));
    }
}
