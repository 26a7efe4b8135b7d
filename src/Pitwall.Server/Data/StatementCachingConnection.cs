using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Pitwall.Server.Data;

/// <summary>
/// The SQLite writer's connection, whose commands keep their compiled statements between uses. Microsoft.Data.Sqlite
/// compiles SQL once per command object, and Dapper makes a new command for every call, so every write re-parsed its
/// SQL: about a tenth of the server's CPU at 1 000 commands/s, all of it on the one writer thread (issue 17). Here a
/// command handed out for a SQL text is, once disposed, kept for the next use of the same text.
/// </summary>
/// <remarks>Used by one thread at a time (the writer); a text in use twice at once simply gets a second command.</remarks>
internal sealed class StatementCachingConnection(string connectionString) : SqliteConnection(connectionString)
{
    /// <summary>Bounded: a list parameter expanded by Dapper makes a text per list length.</summary>
    internal const int MaxCachedStatements = 128;

    private readonly Dictionary<string, SqliteCommand> _idle = new(StringComparer.Ordinal);

    internal int CachedCount => _idle.Count;

    protected override DbCommand CreateDbCommand() => new CachedCommand(this);

    internal SqliteCommand Rent(string sql)
    {
        if (_idle.Remove(sql, out var command))
        {
            return command;
        }
        command = CreateCommand();
        command.CommandText = sql;
        return command;
    }

    internal void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (_idle.Count >= MaxCachedStatements || !_idle.TryAdd(command.CommandText, command))
        {
            command.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _idle.Values)
            {
                command.Dispose();
            }
            _idle.Clear();
        }
        base.Dispose(disposing);
    }

    /// <summary>What Dapper and the stores see: a command whose SQLite command comes from, and goes back to, the cache.</summary>
    private sealed class CachedCommand(StatementCachingConnection connection) : DbCommand
    {
        private SqliteCommand? _inner;
        private string _text = string.Empty;
        private SqliteTransaction? _transaction;
        private int? _timeout;

        private SqliteCommand Inner => _inner ??= Rent();

        [AllowNull]
        public override string CommandText
        {
            get => _text;
            set
            {
                value ??= string.Empty;
                if (value == _text)
                {
                    return;
                }
                _text = value;
                if (_inner is { } previous)
                {
                    // Dapper rewrites the text after adding parameters when it expands a list: they move along.
                    var parameters = previous.Parameters.Cast<SqliteParameter>().ToArray();
                    previous.Parameters.Clear();
                    connection.Return(previous);
                    _inner = Rent();
                    _inner.Parameters.AddRange(parameters);
                }
            }
        }

        public override int CommandTimeout
        {
            get => _inner?.CommandTimeout ?? _timeout ?? connection.DefaultTimeout;
            set
            {
                _timeout = value;
                if (_inner is not null)
                {
                    _inner.CommandTimeout = value;
                }
            }
        }

        public override CommandType CommandType
        {
            get => CommandType.Text;
            set
            {
                if (value != CommandType.Text)
                {
                    throw new ArgumentException("SQLite runs only text commands.", nameof(value));
                }
            }
        }

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set
            {
                if (value != connection)
                {
                    throw new NotSupportedException("A cached command stays on its connection.");
                }
            }
        }

        protected override DbParameterCollection DbParameterCollection => Inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => _transaction;
            set
            {
                _transaction = (SqliteTransaction?)value;
                if (_inner is not null)
                {
                    _inner.Transaction = _transaction;
                }
            }
        }

        public override void Cancel() => _inner?.Cancel();

        public override int ExecuteNonQuery() => Inner.ExecuteNonQuery();

        public override object? ExecuteScalar() => Inner.ExecuteScalar();

        public override void Prepare() => Inner.Prepare();

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Inner.ExecuteReader(behavior);

        private SqliteCommand Rent()
        {
            var command = connection.Rent(_text);
            command.Transaction = _transaction;
            if (_timeout is { } timeout)
            {
                command.CommandTimeout = timeout;
            }
            return command;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _inner is not null)
            {
                connection.Return(_inner);
                _inner = null;
            }
            base.Dispose(disposing);
        }
    }
}
