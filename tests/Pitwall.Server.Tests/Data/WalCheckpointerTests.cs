using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Data;

/// <summary>
/// SQLite's write-ahead log is copied into the database by a thread of its own, not inside the writer's commits (issue 17:
/// those checkpoints were the commits that took tens of milliseconds), and it still starts over from its beginning while the
/// writes never stop — a log copied only beside a busy writer grows without end.
/// </summary>
public sealed class WalCheckpointerTests : IAsyncLifetime
{
    private const int PageSize = 4096;
    private readonly SqliteTestDatabase _file = new();
    private Database _database = null!;

    public async Task InitializeAsync()
    {
        _database = new Database(Options.Create(new DatabaseOptions { ConnectionString = _file.ConnectionString }));
        await _database.ReadAsync(c => c.ExecuteAsync($"PRAGMA page_size = {PageSize}; PRAGMA journal_mode = WAL"), CancellationToken.None);
        await _database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("CREATE TABLE wide (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)", transaction: t);
            await c.ExecuteAsync("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) " +
                                 "INSERT INTO wide (id, payload) SELECT i, randomblob(3000) FROM n", transaction: t); // a page per row
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Fact]
    public async Task The_log_is_copied_off_the_writer_and_starts_over_while_writes_go_on()
    {
        var random = new Random(17);
        // Three times the log size at which the writer rewinds it, in commits of 40 scattered pages each.
        for (var commit = 0; commit < 3 * WalCheckpointer.RestartFrames / 40; commit++)
        {
            var ids = Enumerable.Range(0, 40).Select(_ => random.Next(1, 2001)).ToArray();
            await _database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE wide SET payload = randomblob(3000) WHERE id IN @ids", new { ids }, t),
                CancellationToken.None);
        }

        var checkpointer = _database.Checkpointer!;
        Assert.True(checkpointer.BackgroundRounds > 0, "the background thread copied the log");
        // Had it never started over, the log would hold every commit's pages (12 000); SQLite's own checkpoint waits for 20 000.
        var logPages = new FileInfo(DatabasePath() + "-wal").Length / (PageSize + 24);
        Assert.InRange(logPages, 1, 2 * WalCheckpointer.RestartFrames);
        Assert.Equal(2000, await _database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM wide"), CancellationToken.None));
    }

    private string DatabasePath() => _file.ConnectionString["Data Source=".Length..];
}
