using Microsoft.Data.Sqlite;
using Pitwall.Server.Data;

namespace Pitwall.Server.Gateway;

/// <summary>
/// On SQLite: the database's one writer thread takes the batches from the sessions' queue itself whenever it is free, runs
/// them in its transaction, and answers them (marks, features, acks handed on) on that thread once committed. So a batch
/// passes one queue between a car's socket and the commit, and no thread is woken to hand it over or to hear of its commit
/// (issue 17: each of those waited in the thread pool's queue behind the sockets' work while the writer idled).
/// </summary>
internal sealed partial class IngestWriter : IWriterBatches, IWriterBatch
{
    // Owned by the writer thread while it holds a batch.
    private readonly List<(VehicleSession Session, InboundMessage Message)> _taken = [];
    private DateTimeOffset _takenAt;

    // Set while a failed batch is written again off the writer's thread: nothing more is taken until that is done, so no
    // later message of a car can become durable before its earlier ones.
    private volatile bool _recovering;
    private CancellationToken _stopping;

    private async Task TakenByTheWriterAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        _database.SetWriterBatches(this);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: what waits is not taken any more; not acked, the cars resend it.
        }
        _database.SetWriterBatches(null);
    }

    bool IWriterBatches.Waiting => !_recovering && _queue.Reader.Count > 0;

    IWriterBatch? IWriterBatches.Take()
    {
        if (_recovering)
        {
            return null;
        }
        while (_taken.Count < _batchSize && _queue.Reader.TryRead(out var item))
        {
            _taken.Add(item);
        }
        if (_taken.Count == 0)
        {
            return null;
        }
        SelectFresh(_taken);
        _grouped.Group(_fresh);
        _takenAt = _time.GetUtcNow();
        return this;
    }

    Task IWriterBatch.RunAsync(SqliteConnection connection, SqliteTransaction transaction) => PersistAsync(_grouped, connection, transaction, _takenAt);

    void IWriterBatch.Complete(Exception? failure)
    {
        if (failure is not null)
        {
            // Written again the usual way (car by car, or retried), off this thread, which serves every other write meanwhile.
            List<(VehicleSession Session, InboundMessage Message)> batch = [.. _taken];
            _taken.Clear();
            _recovering = true;
            _ = Task.Run(() => RecoverAsync(batch, failure), CancellationToken.None);
            return;
        }
        try
        {
            Committed(_grouped);
            AckDurable(_taken);
            _metrics.Acked(_taken);
        }
        catch (Exception e)
        {
            Unexpected(e, _taken);
        }
        finally
        {
            Finish(_taken);
        }
    }

    private async Task RecoverAsync(List<(VehicleSession Session, InboundMessage Message)> batch, Exception failure)
    {
        try
        {
            await WriteAsync(batch, failure, _stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping: not acked, the cars resend.
        }
        catch (Exception e)
        {
            Unexpected(e, batch);
        }
        finally
        {
            Finish(batch);
            _recovering = false;
            _database.WakeWriter();
        }
    }
}
