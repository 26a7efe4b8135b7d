using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// When each target last polled over DDI (<c>sw_targets.last_poll_at</c>). A poll only notes its time in memory; the notes are
/// written together, one transaction for every target that polled meanwhile, each
/// <see cref="SoftwareUpdateOptions.PollTimeLinger"/> and when the server stops. A transaction per poll (and its WAL sync on
/// SQLite) was most of a poll's cost (bench/README.md §7). Reads in this process see a noted time at once (<see cref="Latest"/>,
/// applied by <see cref="TargetStore"/>); another instance on the same PostgreSQL database sees it at most the linger later, and
/// a crash loses at most the linger's notes.
/// </summary>
internal sealed partial class PollTimes(Database database, IOptions<SoftwareUpdateOptions> options, TimeProvider time, ILogger<PollTimes> logger)
    : BackgroundService
{
    private const string Update =
        "UPDATE sw_targets SET last_poll_at = @at WHERE controller_id = @controllerId AND (last_poll_at IS NULL OR last_poll_at < @at)";

    // Controller id → Unix milliseconds of its latest poll not yet written.
    private readonly ConcurrentDictionary<string, long> _noted = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly TimeSpan _linger = options.Value.PollTimeLinger;

    /// <summary>Notes a poll; with no linger it is written before this completes.</summary>
    public Task NoteAsync(string controllerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var ms = at.ToUnixTimeMilliseconds();
        if (_linger <= TimeSpan.Zero)
        {
            return database.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, Update, new { controllerId, at = ms }, t), cancellationToken);
        }
        _noted.AddOrUpdate(controllerId, ms, (_, noted) => Math.Max(noted, ms));
        return Task.CompletedTask;
    }

    /// <summary>The later of the stored poll time and one noted but not yet written.</summary>
    public DateTimeOffset? Latest(string controllerId, DateTimeOffset? stored) =>
        _noted.TryGetValue(controllerId, out var ms) && (stored is null || ms > stored.Value.ToUnixTimeMilliseconds()) ? StoredTime.Read(ms) : stored;

    /// <summary>Writes every noted poll time in one transaction (tests, and the loop).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var noted = _noted.ToArray();
            if (noted.Length == 0)
            {
                return;
            }
            // In one order on every instance: two instances writing the same targets on PostgreSQL lock their rows alike, never crosswise.
            Array.Sort(noted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            await database.WriteAsync(async (c, t) =>
            {
                await using var update = BatchCommand.Create(c, t, Update, "at", "controllerId");
                foreach (var (controllerId, ms) in noted)
                {
                    await update.ExecuteAsync(ms, controllerId);
                }
            }, cancellationToken);
            foreach (var entry in noted)
            {
                _noted.TryRemove(entry); // unless a later poll was noted meanwhile: that one is written next time
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Each linger on the server's clock (tests move it by hand, or flush).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_linger <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(_linger, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteNotedAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await WriteNotedAsync(cancellationToken); // what was noted since the last write
    }

    private async Task WriteNotedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWriteFailed(logger, e, _noted.Count); // kept: tried again at the next tick
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the poll times of {Count} update targets failed; they are tried again.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
