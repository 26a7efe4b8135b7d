using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Pitwall.Server.Data;

/// <summary>
/// The SQLite writer's connection (and each reader's, <see cref="SqliteReaders"/>), whose commands keep their compiled
/// statements between uses. Microsoft.Data.Sqlite compiles SQL once per command object, and Dapper makes a new command for every call, so every write re-parsed its
/// SQL: about a tenth of the server's CPU at 1 000 commands/s, all of it on the one writer thread (issue 17). Here a
/// command handed out for a SQL text is, once disposed, kept for the next use of the same text.
/// </summary>
/// <remarks>Used by one thread at a time (the writer, or the read that rented it from <see cref="SqliteReaders"/>); a text in use
/// twice at once simply gets a second command.</remarks>
internal sealed class StatementCachingConnection(string connectionString) : SqliteConnection(connectionString)
{
    /// <summary>Bounded: a list parameter expanded by Dapper makes a text per list length.</summary>
    internal const int MaxCachedStatements = 128;

    private readonly Dictionary<string, SqliteCommand> _idle = new(StringComparer.Ordinal);

    internal int CachedCount => _idle.Count;

    /// <summary>Commands handed out and not yet given back: a read connection is idle only at zero (<see cref="SqliteReaders"/>).</summary>
    internal int RentedCount { get; private set; }

    // Kept for the connection's life: a handful of hot statements run through their own handle (PreparedRow).
    private readonly Dictionary<string, PreparedRow> _prepared = new(StringComparer.Ordinal);

    internal PreparedRow Prepared(string sql, Func<SQLitePCL.sqlite3, string, PreparedRow> prepare)
    {
        if (!_prepared.TryGetValue(sql, out var row))
        {
            _prepared[sql] = row = prepare(Handle ?? throw new InvalidOperationException("The connection is not open."), sql);
        }
        return row;
    }

    protected override DbCommand CreateDbCommand() => new CachedCommand(this);

    internal SqliteCommand Rent(string sql)
    {
        RentedCount++;
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
        RentedCount--;
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
            foreach (var row in _prepared.Values)
            {
                row.Dispose(); // before the connection closes
            }
            _prepared.Clear();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// What Dapper and the stores see: a command that runs on the cached SQLite command of its final text. Parameters
    /// gather in a command of their own that never runs, because Dapper keeps the parameter collection it got first and
    /// rewrites the text after adding a list's parameters; they are bound to the cached command at each execution.
    /// (A bare collection, not a staging <see cref="SqliteCommand"/>: a command is finalizable, and thousands a second left
    /// to the finalizer kept everything they held alive through a collection — the round trip's GC pauses.)
    /// </summary>
    private sealed class CachedCommand(StatementCachingConnection connection) : DbCommand
    {
        private readonly ParameterList _parameters = new();
        private SqliteCommand? _inner;
        private SqliteTransaction? _transaction;
        private int? _timeout;

        [AllowNull]
        public override string CommandText { get; set; } = string.Empty;

        public override int CommandTimeout
        {
            get => _timeout ?? connection.DefaultTimeout;
            set => _timeout = value;
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

        protected override DbParameterCollection DbParameterCollection => _parameters;

        protected override DbTransaction? DbTransaction
        {
            get => _transaction;
            set => _transaction = (SqliteTransaction?)value;
        }

        public override void Cancel() => _inner?.Cancel();

        public override int ExecuteNonQuery() => Bound().ExecuteNonQuery();

        public override object? ExecuteScalar() => Bound().ExecuteScalar();

        public override void Prepare() => Bound().Prepare();

        protected override DbParameter CreateDbParameter() => new AtNamedParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Bound().ExecuteReader(behavior);

        // The cached command of the text as it is now, with this command's parameters, transaction and timeout.
        private SqliteCommand Bound()
        {
            if (_inner is not null && _inner.CommandText != CommandText)
            {
                connection.Return(_inner);
                _inner = null;
            }
            _inner ??= connection.Rent(CommandText);
            _inner.Parameters.Clear();
            for (var i = 0; i < _parameters.Count; i++)
            {
                _inner.Parameters.Add(_parameters[i]); // no iterator or array per execution: this is the writer's hot path
            }
            _inner.Transaction = _transaction;
            _inner.CommandTimeout = CommandTimeout;
            return _inner;
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

    private sealed class ParameterList : SqliteParameterCollection;
}
