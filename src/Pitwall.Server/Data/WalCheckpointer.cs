using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Pitwall.Server.Hosting.Telemetry;
using SQLitePCL;

namespace Pitwall.Server.Data;

/// <summary>
/// SQLite's write-ahead-log checkpoints, taken off the one writer's thread (issue 17). SQLite runs a checkpoint inside the
/// COMMIT that takes the log past <c>wal_autocheckpoint</c> pages: that commit then also copies about a thousand pages into
/// the database file and fsyncs it, tens of milliseconds in which every car's ack and every command waits for the writer.
/// Here a thread of its own copies the log into the database soon after commits (PASSIVE: it never blocks the writer, and
/// the writer never waits for it). A passive checkpoint beside a writer that keeps appending never lets the log start over
/// from its beginning (bench/README.md §3, fourteenth session: 1.2 GB in 30 s), so once the log is past
/// <see cref="RestartFrames"/> the writer, after a commit, finishes what is left itself — by then a few pages — and its next
/// transaction rewinds the log. SQLite's own automatic checkpoint stays on at <see cref="BackstopFrames"/>, should this thread
/// fall behind.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>Log size (pages) from which the writer finishes the checkpoint after its commit, so that the log rewinds.</summary>
    internal const int RestartFrames = 4_000;

    /// <summary>SQLite's automatic checkpoint in the writer's COMMIT: only reached when this thread cannot keep up.</summary>
    internal const int BackstopFrames = 20_000;

    /// <summary>Set on the writer's connection.</summary>
    internal static readonly string WriterPragmas = $"PRAGMA wal_autocheckpoint = {BackstopFrames};";

    // Between two rounds: each round fsyncs the database file, and a page that several commits changed is copied once per
    // round. Rounds 20 ms apart cost 10 % more CPU per report at full load than 100 ms apart, for a tail no better (bench/README.md §1).
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    private readonly string _connectionString;
    private readonly Histogram<double>? _duration;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private int _asleep;
    private volatile bool _stopping;
    private int _logFrames; // the log's size in pages when last seen

    public WalCheckpointer(string connectionString, Meter? meter)
    {
        _connectionString = connectionString;
        _duration = meter?.CreateHistogram<double>("pitwall.db.checkpoint.duration", "s",
            "One WAL checkpoint: pages copied from the log into the database file and both synced (by: background or writer)");
        _thread = new Thread(Run) { IsBackground = true, Name = "Pitwall SQLite checkpoint" };
        _thread.UnsafeStart();
    }

    /// <summary>Checkpoints run, by whom, and pages copied: for tests and the benchmark.</summary>
    internal long BackgroundRounds { get; private set; }

    internal long WriterRounds { get; private set; }

    /// <summary>Called by the writer on its thread after each COMMIT, outside any transaction.</summary>
    public void Committed(SqliteConnection writer)
    {
        if (Volatile.Read(ref _logFrames) >= RestartFrames && writer.Handle is { } db)
        {
            // Usually a few pages (what came since the background's last round); busy while that round runs: next commit then.
            if (Checkpoint(db, "writer") is { } log)
            {
                WriterRounds++;
                Volatile.Write(ref _logFrames, log);
            }
        }
        if (Volatile.Read(ref _asleep) == 1 && Interlocked.Exchange(ref _asleep, 0) == 1)
        {
            _wake.Release();
        }
    }

    /// <returns>The log's size in pages still to be copied (0 when all is, so that the next transaction rewinds the log),
    /// or null when the checkpoint did not run (another one held the lock, or the database is not in WAL mode).</returns>
    private int? Checkpoint(sqlite3 db, string by)
    {
        var started = Stopwatch.GetTimestamp();
        var rc = raw.sqlite3_wal_checkpoint_v2(db, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var log, out var copied);
        if (rc != raw.SQLITE_OK || log < 0)
        {
            return null;
        }
        _duration?.Record(PitwallTelemetry.SecondsSince(started), new KeyValuePair<string, object?>("by", by));
        return log == copied ? 0 : log;
    }

    private void Run()
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT count(*) FROM sqlite_schema"; // a first read opens the connection's log: until then a checkpoint does nothing
                read.ExecuteScalar();
            }
            while (!_stopping)
            {
                Volatile.Write(ref _asleep, 1);
                _wake.Wait();
                if (_stopping)
                {
                    break;
                }
                if (Checkpoint(connection.Handle!, "background") is { } log)
                {
                    BackgroundRounds++;
                    Volatile.Write(ref _logFrames, log);
                }
                Thread.Sleep(Pause);
            }
        }
        catch (SqliteException)
        {
            // The database went away (deleted, closed at shutdown): the writer's automatic checkpoint is still there.
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Release();
        _thread.Join();
        _wake.Dispose();
    }
}
