using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Data;

/// <summary>
/// Writes that wait for the writer are committed together on SQLite (group commit); each must still behave as a
/// transaction of its own: what one write does wrong is undone without touching the others, its after-commit actions
/// never run, and nobody hears "done" before the commit. PostgreSQL (a transaction per write) must behave the same.
/// </summary>
public abstract class GroupCommitTests : IAsyncLifetime
{
    private ITestDatabase _testDatabase = null!;
    private protected Database _database = null!;

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        _testDatabase = await CreateDatabaseAsync();
        _database = new Database(Options.Create(new DatabaseOptions { ConnectionString = _testDatabase.ConnectionString }));
        await _database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE group_commit_test (id TEXT PRIMARY KEY)", transaction: t), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _testDatabase.DisposeAsync();
    }

    private protected Task<IEnumerable<string>> RowsAsync() =>
        _database.ReadAsync(c => c.QueryAsync<string>("SELECT id FROM group_commit_test ORDER BY id"), CancellationToken.None);

    private protected static Task Insert(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string id) =>
        c.ExecuteAsync("INSERT INTO group_commit_test (id) VALUES (@id)", new { id }, t);

    /// <summary>Holds the writer until released, so that the writes started meanwhile queue up behind it (one group on SQLite).</summary>
    private protected async Task<(Task Holder, TaskCompletionSource Release)> HoldTheWriterAsync()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = _database.WriteAsync(async (c, t) =>
        {
            await Insert(c, t, "holder");
            holding.SetResult();
            await release.Task;
        }, CancellationToken.None);
        await holding.Task;
        return (holder, release);
    }

    [Fact]
    public async Task A_failing_write_is_undone_alone_and_its_after_commit_actions_never_run()
    {
        var (holder, release) = await HoldTheWriterAsync();
        var ran = new List<string>();
        Task<string> Write(string id, bool fail) => _database.WriteAsync(async (c, t) =>
        {
            await Insert(c, t, id);
            Database.AfterCommit(t, () => { lock (ran) { ran.Add(id); } });
            return fail ? throw new InvalidOperationException($"{id} failed") : id;
        }, CancellationToken.None);

        var a = Write("a", fail: false);
        var b = Write("b", fail: true);
        var c = Write("c", fail: false);
        release.SetResult();
        await holder;

        Assert.Equal("a", await a);
        Assert.Equal("b failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => b)).Message);
        Assert.Equal("c", await c);
        Assert.Equal(["a", "c"], ran.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "c", "holder"], await RowsAsync());
    }

    [Fact]
    public async Task A_statement_that_fails_in_the_database_leaves_the_writes_around_it_stored()
    {
        await _database.WriteAsync((c, t) => Insert(c, t, "taken"), CancellationToken.None);
        var (holder, release) = await HoldTheWriterAsync();

        var before = _database.WriteAsync((c, t) => Insert(c, t, "before"), CancellationToken.None);
        var duplicate = _database.WriteAsync(async (c, t) =>
        {
            await Insert(c, t, "undone");
            await Insert(c, t, "taken"); // primary key violation
        }, CancellationToken.None);
        var after = _database.WriteAsync((c, t) => Insert(c, t, "after"), CancellationToken.None);
        release.SetResult();
        await holder;

        await before;
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => duplicate);
        await after;
        Assert.Equal(["after", "before", "holder", "taken"], await RowsAsync());
    }
}

/// <summary>What only SQLite's one writer shows: the writes queued behind it form a group.</summary>
public sealed class GroupCommitOnSqlite : GroupCommitTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(new SqliteTestDatabase());

    [Fact]
    public async Task Writes_are_done_only_once_committed_and_each_sees_the_ones_before_it()
    {
        var (holder, release) = await HoldTheWriterAsync();
        var writes = Enumerable.Range(0, 50).Select(i => _database.WriteAsync(async (c, t) =>
        {
            var seen = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM group_commit_test", transaction: t);
            await Insert(c, t, $"w{i:D2}");
            return seen;
        }, CancellationToken.None)).ToList();
        Assert.All(writes, w => Assert.False(w.IsCompleted));
        release.SetResult();
        await holder;

        var seen = await Task.WhenAll(writes);
        Assert.Equal(51, (await RowsAsync()).Count());
        Assert.Equal(seen.Length, seen.Distinct().Count()); // one after another, never two on the same state
    }

    [Fact]
    public async Task A_write_cancelled_while_it_waits_never_runs()
    {
        var (holder, release) = await HoldTheWriterAsync();
        using var cancel = new CancellationTokenSource();
        var cancelled = _database.WriteAsync((c, t) => Insert(c, t, "cancelled"), cancel.Token);
        var kept = _database.WriteAsync((c, t) => Insert(c, t, "kept"), CancellationToken.None);
        await cancel.CancelAsync();
        release.SetResult();
        await holder;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await kept;
        Assert.Equal(["holder", "kept"], await RowsAsync());
    }
}

public sealed class GroupCommitOnPostgres : GroupCommitTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
