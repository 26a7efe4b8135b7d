using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Pitwall.Server.Data;

/// <summary>
/// A statement compiled once on SQLite's writer connection, kept for the connection's life, and run row after row with its
/// values bound straight from spans. Microsoft.Data.Sqlite makes a data reader, a binder per value and a UTF-8 copy of every
/// string for each run; on the ingest path, two statements per car, that was garbage and CPU per report on the one writer
/// thread (issue 17). Only on the writer's own connection, inside its transaction: elsewhere <see cref="For"/> gives null
/// and the caller uses <see cref="BatchCommand"/>.
/// </summary>
public sealed class PreparedRow : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    private PreparedRow(sqlite3 db, string sql)
    {
        _db = db;
        var rc = raw.sqlite3_prepare_v2(db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    /// <summary>The statement of <paramref name="sql"/> on this connection if it is SQLite's writer connection; else null.</summary>
    public static PreparedRow? For(DbConnection connection, string sql) =>
        connection is StatementCachingConnection writer ? writer.Prepared(sql, static (db, text) => new PreparedRow(db, text)) : null;

    /// <param name="index">1-based, in the order the parameters appear in the SQL.</param>
    public PreparedRow Text(int index, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Check(raw.sqlite3_bind_text(_statement, index, utf8[..Encoding.UTF8.GetBytes(value, utf8)]));
        return this;
    }

    /// <summary>A text, or NULL.</summary>
    public PreparedRow TextOrNull(int index, string? value) => value is null ? Null(index) : Text(index, value);

    public PreparedRow Null(int index)
    {
        Check(raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    public PreparedRow Int64(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public PreparedRow Int64(int index, long? value)
    {
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>SQLite copies the bytes: the span may be reused as soon as this returns.</summary>
    public PreparedRow Blob(int index, ReadOnlySpan<byte> value)
    {
        Check(raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <returns>The rows the statement changed.</returns>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement); // holds no lock or row between runs
        if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return raw.sqlite3_changes(_db);
    }

    /// <summary>Runs the statement and reads the first two integer columns of its first row (e.g. <c>RETURNING</c>, whose
    /// changes are all made by the first step); false, and zeros, when it returned no row.</summary>
    public bool First(out long first, out long second)
    {
        var rc = raw.sqlite3_step(_statement);
        try
        {
            if (rc == raw.SQLITE_ROW)
            {
                first = raw.sqlite3_column_int64(_statement, 0);
                second = raw.sqlite3_column_count(_statement) > 1 ? raw.sqlite3_column_int64(_statement, 1) : 0;
                return true;
            }
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            (first, second) = (0, 0);
            return false;
        }
        finally
        {
            raw.sqlite3_reset(_statement); // holds no lock or row between runs
        }
    }

    /// <summary>Runs the statement and reads its first row with <paramref name="read"/> (e.g. an <c>UPDATE … RETURNING</c>);
    /// default when it returned no row.</summary>
    public T? First<T>(Func<Columns, T> read) where T : class
    {
        var rc = raw.sqlite3_step(_statement);
        try
        {
            if (rc == raw.SQLITE_ROW)
            {
                return read(new Columns(_statement));
            }
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            return null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>The current row's values, by 0-based column.</summary>
    public readonly struct Columns(sqlite3_stmt statement)
    {
        public string Text(int column) => raw.sqlite3_column_text(statement, column).utf8_to_string();

        public string? TextOrNull(int column) => IsNull(column) ? null : Text(column);

        public long Int64(int column) => raw.sqlite3_column_int64(statement, column);

        public long? Int64OrNull(int column) => IsNull(column) ? null : Int64(column);

        private bool IsNull(int column) => raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Dispose() => _statement.Dispose();
}
