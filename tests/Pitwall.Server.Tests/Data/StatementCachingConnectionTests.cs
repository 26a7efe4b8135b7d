using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Tests.Data;

/// <summary>The SQLite writer's connection keeps compiled statements between Dapper calls without changing what they do.</summary>
public sealed class StatementCachingConnectionTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"pitwall-statements-{Guid.NewGuid():N}.db");
    private readonly StatementCachingConnection _connection;

    public StatementCachingConnectionTests()
    {
        _connection = new StatementCachingConnection($"Data Source={_path};Pooling=False");
        _connection.Open();
        _connection.Execute("CREATE TABLE cars (vin TEXT PRIMARY KEY, km INTEGER NOT NULL)");
    }

    [Fact]
    public async Task The_same_sql_reuses_one_compiled_command_with_fresh_parameters_each_time()
    {
        for (var i = 0; i < 5; i++)
        {
            await _connection.ExecuteAsync("INSERT INTO cars (vin, km) VALUES (@vin, @km)", new { vin = $"V{i}", km = i * 10 });
        }
        var cached = _connection.CachedCount;
        Assert.Equal(40, await _connection.ExecuteScalarAsync<long>("SELECT km FROM cars WHERE vin = @vin", new { vin = "V4" }));
        Assert.Equal(0, await _connection.ExecuteScalarAsync<long>("SELECT km FROM cars WHERE vin = @vin", new { vin = "V0" }));
        Assert.Equal(cached + 1, _connection.CachedCount); // the insert's command and now the select's: nothing per call
        Assert.Equal(5, await _connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cars"));
    }

    [Fact]
    public async Task A_list_that_dapper_expands_keeps_its_parameters_and_each_length_is_its_own_statement()
    {
        await _connection.ExecuteAsync("INSERT INTO cars (vin, km) VALUES ('A', 1), ('B', 2), ('C', 3)");
        Assert.Equal(["A", "C"], await _connection.QueryAsync<string>("SELECT vin FROM cars WHERE vin IN @vins ORDER BY vin", new { vins = new[] { "A", "C" } }));
        Assert.Equal(["B"], await _connection.QueryAsync<string>("SELECT vin FROM cars WHERE vin IN @vins ORDER BY vin", new { vins = new[] { "B" } }));
        Assert.Equal(["A", "C"], await _connection.QueryAsync<string>("SELECT vin FROM cars WHERE vin IN @vins ORDER BY vin", new { vins = new[] { "C", "A" } }));
    }

    [Fact]
    public async Task A_list_beside_other_parameters_binds_each_call_its_own_values_whatever_the_list_lengths()
    {
        await _connection.ExecuteAsync("INSERT INTO cars (vin, km) VALUES ('A', 10), ('B', 20), ('C', 30)");
        const string Sql = "SELECT vin FROM cars WHERE vin IN @vins AND km > @min ORDER BY vin";
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(["B", "C"], await _connection.QueryAsync<string>(Sql, new { vins = new[] { "A", "B", "C" }, min = 15 }));
            Assert.Equal(["B"], await _connection.QueryAsync<string>(Sql, new { vins = new[] { "A", "B" }, min = 15 }));
            Assert.Equal(["A", "B"], await _connection.QueryAsync<string>(Sql, new { vins = new[] { "A", "B" }, min = 5 }));
            Assert.Empty(await _connection.QueryAsync<string>(Sql, new { vins = new[] { "A", "B", "C" }, min = 30 }));
            Assert.Equal(["C"], await _connection.QueryAsync<string>(Sql, new { vins = new[] { "C" }, min = 0 }));
        }
    }

    [Fact]
    public async Task A_list_beside_other_parameters_still_binds_when_the_cache_is_full()
    {
        for (var i = 0; i < StatementCachingConnection.MaxCachedStatements; i++)
        {
            _connection.ExecuteScalar<long>($"SELECT {i}");
        }
        await _connection.ExecuteAsync("INSERT INTO cars (vin, km) VALUES ('A', 10), ('B', 20)");
        const string Sql = "SELECT vin FROM cars WHERE vin IN @vins AND km > @min ORDER BY vin";
        for (var length = 1; length <= 2; length++)
        {
            Assert.Equal(["B"], await _connection.QueryAsync<string>(Sql, new { vins = new[] { "A", "B" }[..length].Append("B").ToArray(), min = 15 }));
        }
    }

    [Fact]
    public async Task Cached_statements_follow_each_transaction_and_see_its_rollback()
    {
        using (var transaction = _connection.BeginTransaction())
        {
            await _connection.ExecuteAsync("INSERT INTO cars (vin, km) VALUES (@vin, 1)", new { vin = "X" }, transaction);
            transaction.Rollback();
        }
        using (var transaction = _connection.BeginTransaction())
        {
            await _connection.ExecuteAsync("INSERT INTO cars (vin, km) VALUES (@vin, 1)", new { vin = "Y" }, transaction);
            transaction.Commit();
        }
        Assert.Equal(["Y"], await _connection.QueryAsync<string>("SELECT vin FROM cars"));
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        for (var i = 0; i < StatementCachingConnection.MaxCachedStatements + 20; i++)
        {
            Assert.Equal(i, _connection.ExecuteScalar<long>($"SELECT {i}"));
        }
        Assert.Equal(StatementCachingConnection.MaxCachedStatements, _connection.CachedCount);
    }

    public void Dispose()
    {
        _connection.Dispose();
        File.Delete(_path);
    }
}
