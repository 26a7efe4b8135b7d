using System.Diagnostics.Metrics;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting.Telemetry;

namespace Pitwall.Server.Features.Notifications;

/// <summary>Deliveries waiting to go out, per channel (push, SMS, e-mail, webhook), all instances: a growing backlog is a
/// channel whose provider is down or too slow.</summary>
internal sealed class NotificationMetrics
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(5);
    private readonly Database _database;
    private readonly TimeProvider _time;
    private (Measurement<long>[] Backlog, DateTimeOffset At)? _kept;

    public NotificationMetrics(IMeterFactory meters, Database database, TimeProvider time)
    {
        _database = database;
        _time = time;
        meters.Create(PitwallTelemetry.Name).CreateObservableGauge("pitwall.notification.backlog", Backlog, "{delivery}",
            "Notification deliveries pending (queued or waiting for a retry), by channel");
    }

    /// <summary>Counted when scraped, at most every few seconds, over the index of pending deliveries.</summary>
    private IEnumerable<Measurement<long>> Backlog()
    {
        var now = _time.GetUtcNow();
        if (_kept is { } kept && now - kept.At <= KeptFor)
        {
            return kept.Backlog;
        }
        try
        {
            var counts = _database.ReadAsync(c => c.QueryAsync<(string Channel, long Count)>(
                "SELECT channel, count(*) FROM notification_deliveries WHERE state = 'pending' GROUP BY channel"), CancellationToken.None)
                .GetAwaiter().GetResult().ToDictionary(r => r.Channel, r => r.Count, StringComparer.Ordinal);
            Measurement<long>[] backlog = [.. NotificationChannels.All.Where(c => c != NotificationChannels.InApp)
                .Select(c => new Measurement<long>(counts.GetValueOrDefault(c), new KeyValuePair<string, object?>("channel", c)))];
            _kept = (backlog, now);
            return backlog;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return [];
        }
    }
}
