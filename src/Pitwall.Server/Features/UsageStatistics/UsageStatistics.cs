using System.Collections.Concurrent;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.UsageStatistics;

public enum UsageChannel
{
    Car,
    App,
    Web,
}

/// <summary>
/// Counts service use per UTC day, service and channel (REQUIREMENTS C8). Anonymous at write time: callers pass no
/// VIN and no account, so there is nothing to anonymise later. Counts are summed in memory and written in one
/// statement per key every few seconds (and at shutdown), so counting never slows a request.
/// </summary>
public sealed partial class UsageStatistics(Database database, TimeProvider time, ILogger<UsageStatistics> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(10);

    private ConcurrentDictionary<(long Day, string Service, UsageChannel Channel), long> _pending = new();

    public void Record(string service, UsageChannel channel) => Record(service, channel, 1);

    /// <summary><paramref name="count"/> uses at once (e.g. a batch of car reports: one look-up, not one per report).</summary>
    public void Record(string service, UsageChannel channel, long count)
    {
        var day = time.GetUtcNow().UtcDateTime.Date;
        _pending.AddOrUpdate((new DateTimeOffset(day, TimeSpan.Zero).ToUnixTimeMilliseconds(), service, channel), static (_, add) => add, static (_, n, add) => n + add, count);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var counts = Interlocked.Exchange(ref _pending, new());
        if (counts.IsEmpty)
        {
            return;
        }
        await database.WriteAsync(async (c, t) =>
        {
            foreach (var ((day, service, channel), count) in counts)
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO usage_statistics (day_start, service, channel, count) VALUES (@day, @service, @channel, @count)
                    ON CONFLICT (day_start, service, channel) DO UPDATE SET count = usage_statistics.count + excluded.count
                    """, new { day, service, channel = channel.ToString().ToLowerInvariant(), count }, t);
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<UsageRow>> ReportAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(long Day, string Service, string Channel, long Count)>(
            "SELECT day_start, service, channel, count FROM usage_statistics WHERE day_start >= @from AND day_start <= @to ORDER BY day_start, service, channel",
            new { from = DayStart(from), to = DayStart(to) }), cancellationToken))
        .Select(r => new UsageRow(DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(r.Day).UtcDateTime), r.Service, r.Channel, r.Count)).ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushSafelyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushSafelyAsync(cancellationToken); // what was counted since the last tick
    }

    private async Task FlushSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            LogFlushFailed(logger, e);
        }
    }

    private static long DayStart(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing usage statistics failed; those counts are lost")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}

public sealed record UsageRow(DateOnly Day, string Service, string Channel, long Count);
