using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pitwall.Server.Tests.Data;

/// <summary>
/// SQLite's write-ahead log is copied into the database mostly by a thread of its own, not inside the writer's commits
/// (issue 17: those checkpoints were the commits that took tens of milliseconds), and it still starts over from its
/// beginning while commits come back to back — a log copied only beside a busy writer grows without end — with nothing
/// committed lost.
/// </summary>
public sealed class WalCheckpointerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PageSize = 4096;
    private const int Rows = 2000; // a page each
    private const int PagesPerCommit = 40;
    private const int RestartFrames = 1000; // DatabaseOptions.CheckpointPages by default
    private const int Commits = 12 * RestartFrames / PagesPerCommit; // twelve times the log size at which it starts over

    private readonly SqliteTestDatabase _file = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string By, string Instrument, double Value)> _measured = [];
    private Database _database = null!;

    public async Task InitializeAsync()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name.StartsWith("pitwall.db.checkpoint.", StringComparison.Ordinal) && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Measured(i, value, tags));
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Measured(i, value, tags));
        _listener.Start();
        _database = Open(_file.ConnectionString);
        await _database.ReadAsync(c => c.ExecuteAsync($"PRAGMA page_size = {PageSize}; PRAGMA journal_mode = WAL"), CancellationToken.None);
        await _database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("CREATE TABLE wide (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)", transaction: t);
            await c.ExecuteAsync("CREATE TABLE ledger (n INTEGER PRIMARY KEY, ids TEXT NOT NULL)", transaction: t);
            await c.ExecuteAsync($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) " +
                                 "INSERT INTO wide (id, payload) SELECT i, randomblob(3000) FROM n", transaction: t);
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _listener.Dispose();
        await _services.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Fact]
    public async Task The_log_starts_over_while_commits_come_back_to_back_and_the_writer_copies_only_the_rest()
    {
        var backgroundBefore = Pages("background"); // the table's first 2 000 pages
        await CommitBackToBack();

        var checkpointer = Report();
        Assert.Equal(RestartFrames, checkpointer.RestartFrames);
        // Had it never started over, the log would hold every commit's pages (12 000 and more); SQLite's own checkpoint
        // would only have bounded it at 4 000.
        var logPages = LogFilePages();
        Assert.True(logPages < 4 * RestartFrames,
            $"the log file holds {logPages} pages (longest seen {checkpointer.LongestLog}, restarts {checkpointer.Restarts}, writer rounds {checkpointer.WriterRounds})");
        Assert.True(checkpointer.Restarts >= 3, $"the log started over {checkpointer.Restarts} times");
        Assert.True(checkpointer.WriterRounds >= 3, $"the writer finished {checkpointer.WriterRounds} copies");
        // The background copied most of the log; the writer, after its commits, what had come since the background's round.
        var background = Pages("background") - backgroundBefore;
        Assert.True(background > checkpointer.WriterPages,
            $"background copied {background} pages, the writer {checkpointer.WriterPages} in {checkpointer.WriterRounds} rounds");
        Assert.True(checkpointer.WriterPages < checkpointer.WriterRounds * RestartFrames / 2,
            $"the writer copied {checkpointer.WriterPages} pages in {checkpointer.WriterRounds} rounds");
        // Each checkpoint's time is on the meter, by who ran it.
        Assert.Contains(_measured, m => m.Instrument == "pitwall.db.checkpoint.duration" && m.By == "background" && m.Value > 0);
        Assert.Contains(_measured, m => m.Instrument == "pitwall.db.checkpoint.duration" && m.By == "writer" && m.Value > 0);
        Assert.Equal(checkpointer.WriterPages, Pages("writer"));

        await AssertEverythingCommittedIsThere(_database);
    }

    [Fact]
    public async Task Readers_going_on_beside_the_writer_do_not_keep_the_log_from_starting_over()
    {
        using var stop = new CancellationTokenSource();
        var reads = 0L;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Short reads as Pitwall's: a row by its key, a count, and rows read through a data reader to the end.
                var id = Random.Shared.Next(1, Rows + 1);
                await _database.ReadAsync(c => c.QuerySingleAsync<long>("SELECT length(payload) FROM wide WHERE id = @id", new { id }), CancellationToken.None);
                await _database.ReadAsync(c => c.QuerySingleAsync<long>("SELECT count(*) FROM ledger"), CancellationToken.None);
                await _database.ReadAsync(c => c.QueryAsync<long>("SELECT n FROM ledger WHERE n % 7 = 0"), CancellationToken.None);
                Interlocked.Increment(ref reads);
            }
        })).ToArray();

        await CommitBackToBack();
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        var checkpointer = Report();
        Assert.True(Interlocked.Read(ref reads) > 10, $"{reads} reads");
        Assert.True(checkpointer.Restarts >= 3, $"the log started over {checkpointer.Restarts} times beside {reads} reads");
        Assert.True(LogFilePages() < 4 * RestartFrames, $"the log file holds {LogFilePages()} pages");
        await AssertEverythingCommittedIsThere(_database);
    }

    /// <summary>What the checkpoints did, in the test's output: how long they took and what they copied, by whom.</summary>
    private WalCheckpointer Report()
    {
        var checkpointer = _database.Checkpointer!;
        output.WriteLine($"log file {LogFilePages()} pages, longest seen {checkpointer.LongestLog}, restarts {checkpointer.Restarts}, " +
                         $"background rounds {checkpointer.BackgroundRounds} ({checkpointer.BackgroundRoundsComplete} copied all they saw, {Pages("background")} pages), writer rounds {checkpointer.WriterRounds} ({checkpointer.WriterPages} pages)");
        lock (_measured)
        {
            foreach (var by in new[] { "background", "writer" })
            {
                var ms = _measured.Where(m => m.Instrument == "pitwall.db.checkpoint.duration" && m.By == by).Select(m => m.Value * 1000).Order().ToArray();
                if (ms.Length > 0)
                {
                    output.WriteLine($"{by}: n={ms.Length} p50={ms[ms.Length / 2]:F1} ms max={ms[^1]:F1} ms mean={ms.Average():F1} ms");
                }
            }
        }
        return checkpointer;
    }

    /// <summary>Commits of <see cref="PagesPerCommit"/> scattered pages, each also noting its number and rows in the ledger.</summary>
    private async Task CommitBackToBack()
    {
        var random = new Random(17);
        for (var commit = 1; commit <= Commits; commit++)
        {
            var ids = Enumerable.Range(0, PagesPerCommit).Select(_ => random.Next(1, Rows + 1)).ToArray();
            var n = commit;
            await _database.WriteAsync(async (c, t) =>
            {
                await c.ExecuteAsync("UPDATE wide SET payload = randomblob(3000) WHERE id IN @ids", new { ids }, t);
                await c.ExecuteAsync("INSERT INTO ledger (n, ids) VALUES (@n, @list)", new { n, list = string.Join(',', ids) }, t);
            }, CancellationToken.None);
        }
    }

    /// <summary>Every commit is in the database as the writer left it, after a crash (the files copied as they are while
    /// the server runs) and after a restart (closed and opened again).</summary>
    private async Task AssertEverythingCommittedIsThere(Database running)
    {
        var expected = await Contents(running);
        Assert.Equal(Commits, expected.Ledger);

        var crashed = Directory.CreateTempSubdirectory("pitwall-crash-").FullName;
        try
        {
            File.Copy(DatabasePath(), Path.Combine(crashed, "pitwall.db"));
            File.Copy(DatabasePath() + "-wal", Path.Combine(crashed, "pitwall.db-wal"));
            await using (var afterCrash = Open($"Data Source={Path.Combine(crashed, "pitwall.db")}"))
            {
                Assert.Equal(expected, await Contents(afterCrash));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(crashed, recursive: true);
        }

        await running.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _database = Open(_file.ConnectionString);
        Assert.Equal(expected, await Contents(_database));
    }

    private static Task<(long Ledger, long LastCommit, string Payloads)> Contents(Database database) =>
        database.ReadAsync(async c =>
        {
            var (ledger, last) = await c.QuerySingleAsync<(long, long)>("SELECT count(*), coalesce(max(n), 0) FROM ledger");
            // A digest of every payload: the bytes of each row's first and last 8 bytes, in order.
            var payloads = await c.QuerySingleAsync<string>(
                "SELECT group_concat(hex(substr(payload, 1, 8)) || hex(substr(payload, -8)), '') FROM (SELECT payload FROM wide ORDER BY id)");
            return (ledger, last, payloads);
        }, CancellationToken.None);

    private Database Open(string connectionString) =>
        new(Options.Create(new DatabaseOptions { ConnectionString = connectionString }), _services.GetRequiredService<IMeterFactory>());

    private long Pages(string by)
    {
        lock (_measured)
        {
            return (long)_measured.Where(m => m.Instrument == "pitwall.db.checkpoint.pages" && m.By == by).Sum(m => m.Value);
        }
    }

    private void Measured(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var by = "";
        foreach (var tag in tags)
        {
            by = tag.Key == "by" ? tag.Value as string ?? "" : by;
        }
        lock (_measured)
        {
            _measured.Add((by, instrument.Name, value));
        }
    }

    private long LogFilePages() => (new FileInfo(DatabasePath() + "-wal").Length - 32) / (PageSize + 24);

    private string DatabasePath() => _file.ConnectionString["Data Source=".Length..];
}
