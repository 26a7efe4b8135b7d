using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Data;

/// <summary>Migrations, leases and the data-category register against a fresh database of each engine.</summary>
public abstract class StorageTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private ITestDatabase _testDatabase = null!;
    private Database _database = null!;

    /// <summary>Each test gets a database of its own.</summary>
    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        _testDatabase = await CreateDatabaseAsync();
        _database = new Database(Options.Create(new DatabaseOptions { ConnectionString = _testDatabase.ConnectionString }));
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _testDatabase.DisposeAsync();
    }

    private Migrator Migrator => new(_database, _clock, NullLogger<Migrator>.Instance);

    [Fact]
    public async Task Migrations_apply_on_an_empty_database_and_a_second_run_applies_nothing()
    {
        var known = Migrator.Known(_database.Dialect);
        Assert.NotEmpty(known);
        Assert.Equal(known.Select(m => m.Version), Enumerable.Range(1, known.Count).Select(v => (long)v));

        var first = await Migrator.MigrateAsync(CancellationToken.None);
        Assert.Equal(known.Select(m => m.Version), first.Select(m => m.Version));
        var second = await Migrator.MigrateAsync(CancellationToken.None);
        Assert.Empty(second);
        Assert.Equal(known.Select(m => m.Version), await Migrator.AppliedVersionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_rate_limit_window_counts_the_requests_of_every_instance_and_starts_afresh_when_it_ends()
    {
        await Migrator.MigrateAsync(CancellationToken.None);
        // Two instances sharing the database: each counts against one window.
        await using var other = new Database(Options.Create(new DatabaseOptions { ConnectionString = _testDatabase.ConnectionString }));
        RateLimitWindows[] instances = [new(_database, _clock), new(other, _clock)];
        var allowed = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            allowed.Add((await instances[i % 2].TakeAsync("pairing", "account-1", 3, TimeSpan.FromHours(1), CancellationToken.None)).Allowed);
        }
        Assert.Equal([true, true, true, false], allowed);
        Assert.True((await instances[0].TakeAsync("pairing", "account-2", 3, TimeSpan.FromHours(1), CancellationToken.None)).Allowed); // another partition
        Assert.True((await instances[0].TakeAsync("refresh", "account-1", 3, TimeSpan.FromHours(1), CancellationToken.None)).Allowed); // another policy
        _clock.Advance(TimeSpan.FromMinutes(59));
        var (stillRefused, ends) = await instances[1].TakeAsync("pairing", "account-1", 3, TimeSpan.FromHours(1), CancellationToken.None);
        Assert.False(stillRefused);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(1), ends);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await instances[0].TakeAsync("pairing", "account-1", 3, TimeSpan.FromHours(1), CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task A_database_newer_than_the_binary_is_refused()
    {
        await Migrator.MigrateAsync(CancellationToken.None);
        await _database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', 0)", transaction: t), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<DatabaseTooNewException>(() => Migrator.MigrateAsync(CancellationToken.None));
        Assert.Equal(9999, refused.DatabaseVersion);
    }

    [Fact]
    public async Task Every_table_belongs_to_exactly_one_data_category()
    {
        await Migrator.MigrateAsync(CancellationToken.None);
        var sql = _database.Dialect == SqlDialect.Postgres
            // A partition belongs to its parent's category (Data/DayPartitions), so only top-level tables are listed.
            ? "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var tables = await _database.ReadAsync(c => c.QueryAsync<string>(sql), CancellationToken.None);

        await using var app = Program.BuildApp([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Pitwall:Database:ConnectionString"] = _testDatabase.ConnectionString }));
        var declared = app.Services.GetRequiredService<DataCategoryRegister>().All.SelectMany(c => c.Tables.Select(t => t.Name)).ToHashSet();
        Assert.Equal(declared.Order(StringComparer.Ordinal), tables.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_lease_has_one_holder_until_it_expires_or_is_released()
    {
        await Migrator.MigrateAsync(CancellationToken.None);
        var leases = new Leases(_database, _clock);
        var ct = CancellationToken.None;

        Assert.True(await leases.TryAcquireAsync("job", "a", TimeSpan.FromMinutes(1), ct));
        Assert.False(await leases.TryAcquireAsync("job", "b", TimeSpan.FromMinutes(1), ct));
        Assert.True(await leases.TryAcquireAsync("other-job", "b", TimeSpan.FromMinutes(1), ct));

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(await leases.TryAcquireAsync("job", "a", TimeSpan.FromMinutes(1), ct)); // renewal
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(await leases.TryAcquireAsync("job", "b", TimeSpan.FromMinutes(1), ct));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await leases.TryAcquireAsync("job", "b", TimeSpan.FromMinutes(1), ct)); // a's lease ran out

        await leases.ReleaseAsync("job", "a", ct); // not a's any more: nothing happens
        Assert.False(await leases.TryAcquireAsync("job", "a", TimeSpan.FromMinutes(1), ct));
        await leases.ReleaseAsync("job", "b", ct);
        Assert.True(await leases.TryAcquireAsync("job", "a", TimeSpan.FromMinutes(1), ct));
    }

    [Fact]
    public async Task Concurrent_lease_claims_have_exactly_one_winner()
    {
        await Migrator.MigrateAsync(CancellationToken.None);
        var leases = new Leases(_database, _clock);
        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => leases.TryAcquireAsync("contended", $"holder-{i}", TimeSpan.FromMinutes(1), CancellationToken.None))));
        Assert.Single(claims, won => won);
    }

    [Fact]
    public async Task The_readiness_check_fails_until_the_database_is_migrated()
    {
        var check = new DatabaseHealthCheck(_database);
        var context = new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext();
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
        await Migrator.MigrateAsync(CancellationToken.None);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);
    }
}

public sealed class StorageOnSqlite : StorageTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(new SqliteTestDatabase());

    [Fact]
    public async Task The_bundled_SQLite_is_used_and_backs_off_for_milliseconds_not_whole_seconds()
    {
        await using var test = new SqliteTestDatabase();
        await using var database = new Database(Options.Create(new DatabaseOptions { ConnectionString = test.ConnectionString }));
        var version = await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT sqlite_version()"), CancellationToken.None);
        Assert.Equal(SQLitePCL.raw.sqlite3_libversion().utf8_to_string(), version);
        var loaded = await File.ReadAllTextAsync("/proc/self/maps");
        Assert.Contains("/libe_sqlite3.so", loaded, StringComparison.Ordinal); // the package's library ...
        Assert.DoesNotContain("/libsqlite3.so", loaded, StringComparison.Ordinal); // ... never the host's
        // sqlite3_sleep answers the time it slept: 1 ms where SQLite was built with usleep/nanosleep, 1 000 ms without.
        Assert.Equal(1, Sqlite3Sleep(1));
    }

    [Fact]
    public async Task The_entitlement_read_searches_the_cars_contracts_instead_of_walking_every_active_contract()
    {
        await using var test = new SqliteTestDatabase();
        await using var database = new Database(Options.Create(new DatabaseOptions { ConnectionString = test.ConnectionString }));
        await new Migrator(database, new TestClock(), NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        var plan = (await database.ReadAsync(c => c.QueryAsync($"EXPLAIN QUERY PLAN {Pitwall.Server.Features.Contracts.ContractStore.RunningTermsSql}",
            new { vin = "WP0ZZZ99ZTS392124", now = 0L }), CancellationToken.None)).Select(step => (string)step.detail).ToList();
        Assert.Contains(plan, step => step.Contains("contracts_vin_running (vin=? AND state=? AND ends_at>?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("contracts_due", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_command_lookups_search_the_index_of_open_commands_only()
    {
        await using var test = new SqliteTestDatabase();
        await using var database = new Database(Options.Create(new DatabaseOptions { ConnectionString = test.ConnectionString }));
        await new Migrator(database, new TestClock(), NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        foreach (var sql in new[] { Pitwall.Server.Features.Commands.CommandStore.WaitingSql, Pitwall.Server.Features.Commands.CommandStore.DueSql })
        {
            var plan = (await database.ReadAsync(c => c.QueryAsync($"EXPLAIN QUERY PLAN {sql}", new { vin = "WP0ZZZ99ZTS392124", nowMs = 0L }),
                CancellationToken.None)).Select(step => (string)step.detail).ToList();
            // The partial index (migration 0057) holds accepted and sent commands only: an ended command leaves it, so a result
            // writes no entry among every command ever ended, and these lookups never walk the car's history.
            Assert.Contains(plan, step => step.Contains("INDEX vehicle_commands_open (state=?", StringComparison.Ordinal));
        }
    }

    [System.Runtime.InteropServices.DllImport("e_sqlite3", EntryPoint = "sqlite3_sleep")]
    private static extern int Sqlite3Sleep(int milliseconds);
}

public sealed class StorageOnPostgres : StorageTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
