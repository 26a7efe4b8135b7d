using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Pitwall.Server.Data;

namespace Pitwall.Server.Tests.Data;

/// <summary>SQLite's read connections are kept open with their compiled statements, and only when a read left nothing behind.</summary>
public sealed class SqliteReadersTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"pitwall-readers-{Guid.NewGuid():N}.db");
    private readonly SqliteReaders _readers;

    public SqliteReadersTests()
    {
        using (var setup = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            setup.Open();
            setup.Execute("PRAGMA journal_mode = WAL; CREATE TABLE cars (vin TEXT PRIMARY KEY, km INTEGER NOT NULL); INSERT INTO cars VALUES ('A', 1), ('B', 2)");
        }
        _readers = new SqliteReaders($"Data Source={_path};Pooling=False");
    }

    [Fact]
    public async Task A_clean_read_hands_its_connection_back_and_the_next_read_reuses_its_compiled_statement()
    {
        var first = await _readers.RentAsync(CancellationToken.None);
        Assert.Equal(2, await first.ExecuteScalarAsync<long>("SELECT km FROM cars WHERE vin = @vin", new { vin = "B" }));
        _readers.Return(first, clean: true);
        Assert.Equal(1, _readers.IdleCount);

        var second = await _readers.RentAsync(CancellationToken.None);
        Assert.Same(first, second);
        Assert.Equal(1, second.CachedCount);
        Assert.Equal(1, await second.ExecuteScalarAsync<long>("SELECT km FROM cars WHERE vin = @vin", new { vin = "A" }));
        Assert.Equal(1, second.CachedCount); // the same text: no new statement
        _readers.Return(second, clean: true);
    }

    [Fact]
    public async Task A_read_that_threw_or_left_a_reader_open_closes_its_connection_instead_of_keeping_it()
    {
        var failed = await _readers.RentAsync(CancellationToken.None);
        _readers.Return(failed, clean: false);
        Assert.Equal(System.Data.ConnectionState.Closed, failed.State);

        var leaky = await _readers.RentAsync(CancellationToken.None);
        DbDataReader open = await leaky.ExecuteReaderAsync("SELECT vin FROM cars ORDER BY vin");
        Assert.True(await open.ReadAsync()); // stepped, never finished: it holds a snapshot of the database
        _readers.Return(leaky, clean: true);
        Assert.Equal(0, _readers.IdleCount);
        Assert.Equal(System.Data.ConnectionState.Closed, leaky.State);

        var inTransaction = await _readers.RentAsync(CancellationToken.None);
        await inTransaction.ExecuteAsync("BEGIN DEFERRED"); // two words: Dapper takes one bare word for a stored procedure
        _readers.Return(inTransaction, clean: true);
        Assert.Equal(0, _readers.IdleCount);
    }

    [Fact]
    public async Task At_most_the_capacity_stays_idle_and_the_rest_are_closed()
    {
        var rented = new List<StatementCachingConnection>();
        for (var i = 0; i < SqliteReaders.Capacity + 3; i++)
        {
            rented.Add(await _readers.RentAsync(CancellationToken.None));
        }
        Assert.Equal(SqliteReaders.Capacity + 3, rented.Distinct().Count());
        foreach (var connection in rented)
        {
            _readers.Return(connection, clean: true);
        }
        Assert.Equal(SqliteReaders.Capacity, _readers.IdleCount);
        Assert.Equal(3, rented.Count(c => c.State == System.Data.ConnectionState.Closed));
    }

    [Fact]
    public async Task An_idle_reader_sees_what_was_written_after_it_last_read()
    {
        var reader = await _readers.RentAsync(CancellationToken.None);
        Assert.Equal(2, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cars"));
        _readers.Return(reader, clean: true);
        using (var writer = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            writer.Open();
            writer.Execute("INSERT INTO cars VALUES ('C', 3)");
        }
        var again = await _readers.RentAsync(CancellationToken.None);
        Assert.Equal(3, await again.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cars"));
        _readers.Return(again, clean: true);
    }

    public void Dispose()
    {
        _readers.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }
}
