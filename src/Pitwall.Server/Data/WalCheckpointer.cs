using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Pitwall.Server.Hosting.Telemetry;
using SQLitePCL;

namespace Pitwall.Server.Data;

/// <summary>
/// SQLite's write-ahead-log checkpoints, mostly off the one writer's thread (issue 17). SQLite runs a checkpoint inside the
/// COMMIT that takes the log past <c>wal_autocheckpoint</c> pages: that commit then copies about a thousand pages into the
/// database file and fsyncs it, tens of milliseconds in which every car's ack and every command waits for the writer.
/// Here a thread of its own copies the log into the database about every <see cref="Pause"/> while commits go on (PASSIVE:
/// it never blocks the writer, nor the writer it). That alone never lets the log start over: the log rewinds only when a
/// write transaction begins after every frame has been copied, and a copy beside a writer that keeps appending never
/// catches up (bench/README.md §3, fourteenth session: 1.2 GB in 30 s). So once a round has seen the log at
/// <see cref="RestartFrames"/> pages (<see cref="DatabaseOptions.CheckpointPages"/>) or more, the writer, after its next
/// commit (its acks already released), copies the rest itself — the frames of the commits since that round — waiting a few
/// milliseconds for reads still on the log (<see cref="Finish"/>), and its next transaction rewinds the log. SQLite's own automatic checkpoint stays on at <see cref="BackstopFrames"/>, should this
/// thread stop.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>Log size (pages) from which the writer finishes the copy after a commit, so that the log starts over.</summary>
    internal int RestartFrames { get; }

    /// <summary>SQLite's automatic checkpoint in the writer's COMMIT: only reached when this thread does not run.</summary>
    internal int BackstopFrames => 4 * RestartFrames;

    /// <summary>Set on the writer's connection.</summary>
    internal string WriterPragmas => $"PRAGMA wal_autocheckpoint = {BackstopFrames};";

    // Between two rounds: a page that several commits changed is copied once per round. Rounds 20 ms apart cost 10 % more
    // CPU per report at full load than 100 ms apart, for a tail no better (bench/README.md §1, fifteenth session).
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the writer's copy waits for reads that keep the log from starting over.</summary>
    private const int ReaderWaitMs = 10;

    private readonly string _connectionString;
    private readonly int _writerBusyTimeoutMs;
    private readonly Histogram<double>? _duration;
    private readonly Counter<long>? _pages;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private int _asleep;
    private volatile bool _stopping;

    // What the background's last round saw: the log's size in pages, how many of them were then in the database, and the
    // round's number (the writer finishes the copy at most once per round).
    private int _seenLog;
    private int _seenCopied;
    private int _round;
    private int _writerRound;

    public WalCheckpointer(string connectionString, int restartFrames, int writerBusyTimeoutMs, Meter? meter)
    {
        _connectionString = connectionString;
        _writerBusyTimeoutMs = writerBusyTimeoutMs;
        RestartFrames = restartFrames;
        _duration = meter?.CreateHistogram<double>("pitwall.db.checkpoint.duration", "s",
            "One WAL checkpoint: pages copied from the log into the database file and both synced (by: background or writer)",
            tags: null, advice: PitwallTelemetry.Seconds);
        _pages = meter?.CreateCounter<long>("pitwall.db.checkpoint.pages", "{page}",
            "Pages copied from SQLite's log into the database file (by: background or writer)");
        _thread = new Thread(Run) { IsBackground = true, Name = "Pitwall SQLite checkpoint" };
        _thread.UnsafeStart();
    }

    /// <summary>Checkpoints the background thread ran.</summary>
    internal long BackgroundRounds { get; private set; }

    /// <summary>Of those, the ones that copied every frame the log held when they began (the writer may have appended more
    /// meanwhile: under steady writes, nearly all of them).</summary>
    internal long BackgroundRoundsComplete { get; private set; }

    /// <summary>Copies finished by the writer after a commit, and the pages they copied (the background had not yet).</summary>
    internal long WriterRounds { get; private set; }

    internal long WriterPages { get; private set; }

    /// <summary>Times a round found the log shorter than the round before: it had started over from its beginning.</summary>
    internal long Restarts { get; private set; }

    /// <summary>The longest log a round has seen, in pages.</summary>
    internal int LongestLog { get; private set; }

    /// <summary>Called by the writer on its thread after each COMMIT, outside any transaction.</summary>
    public void Committed(SqliteConnection writer)
    {
        var round = Volatile.Read(ref _round);
        if (round != _writerRound && Volatile.Read(ref _seenLog) >= RestartFrames && writer.Handle is { } db)
        {
            var copiedBefore = Volatile.Read(ref _seenCopied);
            // Null while a round runs (it holds the checkpoint lock): then after the next commit.
            var started = Stopwatch.GetTimestamp();
            if (Finish(db) is { } done)
            {
                Record("writer", started);
                _writerRound = round;
                WriterRounds++;
                WriterPages += Copied("writer", copiedBefore, done.Copied);
                Volatile.Write(ref _seenCopied, done.Copied);
            }
        }
        if (Volatile.Read(ref _asleep) == 1 && Interlocked.Exchange(ref _asleep, 0) == 1)
        {
            _wake.Release();
        }
    }

    /// <returns>The log's size and how much of it is in the database file, or null when the checkpoint did not run (another
    /// held the lock, or the database is not in WAL mode).</returns>
    private static (int Log, int Copied)? Checkpoint(sqlite3 db)
    {
        var rc = raw.sqlite3_wal_checkpoint_v2(db, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var log, out var copied);
        return rc == raw.SQLITE_OK && log >= 0 ? (log, copied) : null;
    }

    /// <summary>
    /// The writer's copy of the rest (RESTART): it waits up to <see cref="ReaderWaitMs"/> for reads still on an older
    /// snapshot, whose frames a PASSIVE copy would have to leave behind, and for reads still using the log at all, which
    /// would keep the next transaction from starting it over. Pitwall's reads take a few milliseconds; a longer one makes
    /// this round a partial copy (SQLITE_BUSY) and the writer tries again after the next round.
    /// </summary>
    private (int Log, int Copied)? Finish(sqlite3 db)
    {
        raw.sqlite3_busy_timeout(db, ReaderWaitMs);
        try
        {
            var rc = raw.sqlite3_wal_checkpoint_v2(db, "main", raw.SQLITE_CHECKPOINT_RESTART, out var log, out var copied);
            return rc is raw.SQLITE_OK or raw.SQLITE_BUSY && log >= 0 ? (log, copied) : null; // busy and -1: a round holds the lock
        }
        finally
        {
            raw.sqlite3_busy_timeout(db, _writerBusyTimeoutMs);
        }
    }

    private void Record(string by, long started) =>
        _duration?.Record(PitwallTelemetry.SecondsSince(started), new KeyValuePair<string, object?>("by", by));

    /// <returns>The pages this checkpoint copied: those in the database after it, less those before.</returns>
    private int Copied(string by, int before, int after)
    {
        var pages = Math.Max(0, after - before);
        if (pages > 0)
        {
            _pages?.Add(pages, new KeyValuePair<string, object?>("by", by));
        }
        return pages;
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
                var started = Stopwatch.GetTimestamp();
                if (Checkpoint(connection.Handle!) is { } done)
                {
                    // A log shorter than the last round's has started over: none of it was copied before this round.
                    var restarted = done.Log < Volatile.Read(ref _seenLog);
                    Restarts += restarted ? 1 : 0;
                    Copied("background", restarted ? 0 : Volatile.Read(ref _seenCopied), done.Copied);
                    Record("background", started);
                    LongestLog = Math.Max(LongestLog, done.Log);
                    BackgroundRounds++;
                    BackgroundRoundsComplete += done.Log == done.Copied ? 1 : 0;
                    Volatile.Write(ref _seenCopied, done.Copied);
                    Volatile.Write(ref _seenLog, done.Log);
                    Interlocked.Increment(ref _round);
                }
                _stop.Wait(Pause);
            }
        }
        catch (SqliteException)
        {
            // The database went away (deleted, closed at shutdown): SQLite's automatic checkpoint is still there.
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _stop.Set();
        _wake.Release();
        _thread.Join();
        _wake.Dispose();
        _stop.Dispose();
    }
}
