using Npgsql;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// Throwaway PostgreSQL databases on the server that <c>./test.sh</c> starts (it sets PITWALL_TEST_POSTGRES).
/// Without that server these tests fail: storage must be proven on both engines, never skipped.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "PITWALL_TEST_POSTGRES";

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run ./test.sh, which starts PostgreSQL, or point {EnvironmentVariable} at a PostgreSQL admin connection string.");

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = $"pitwall_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A fresh database of one engine, for storage tests that need no web server; dropped on dispose.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    string ConnectionString { get; }
}

public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pitwall-test-").FullName;

    public string ConnectionString => $"Data Source={Path.Combine(_directory, "pitwall.db")}";

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresTestDatabase : ITestDatabase
{
    private PostgresTestDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync() => new(await TestPostgres.CreateDatabaseAsync());

    public async ValueTask DisposeAsync() => await TestPostgres.DropDatabaseAsync(ConnectionString);
}
