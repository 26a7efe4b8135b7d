using System.Data.Common;

namespace Pitwall.Server.Data;

/// <summary>
/// One command reused for many rows inside a transaction: SQLite keeps the statement compiled on the command after its
/// first run, sparing a re-parse per row (about 3× cheaper on the ingest path than a fresh command per row).
/// </summary>
public sealed class BatchCommand : IAsyncDisposable
{
    private readonly DbCommand _command;

    private BatchCommand(DbCommand command) => _command = command;

    public static BatchCommand Create(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return new BatchCommand(command);
    }

    /// <summary>Runs the statement with these values, in the order the parameters were named.</summary>
    public Task<int> ExecuteAsync(params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            _command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        return _command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs the statement with these values and reads what it returns (e.g. <c>RETURNING</c>).</summary>
    public Task<DbDataReader> ReadAsync(params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            _command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        return _command.ExecuteReaderAsync();
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
