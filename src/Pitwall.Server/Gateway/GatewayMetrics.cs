using System.Diagnostics.Metrics;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting.Telemetry;

namespace Pitwall.Server.Gateway;

/// <summary>The vehicle link's instruments: cars connected here, messages made durable and how long their acks took, and
/// the frames waiting in the cars' outboxes.</summary>
internal sealed class GatewayMetrics
{
    private static readonly TimeSpan BacklogKeptFor = TimeSpan.FromSeconds(5);
    private readonly Counter<long> _ingested;
    private readonly Histogram<double> _ackLatency;
    private readonly Database _database;
    private readonly TimeProvider _time;
    private (long Count, DateTimeOffset At)? _backlog;

    public GatewayMetrics(IMeterFactory meters, SessionRegistry registry, Database database, TimeProvider time)
    {
        _database = database;
        _time = time;
        var meter = meters.Create(PitwallTelemetry.Name);
        meter.CreateObservableGauge("pitwall.link.connected_cars", () => registry.Count, "{car}", "Cars whose link is open on this instance");
        _ingested = meter.CreateCounter<long>("pitwall.ingest.messages", "{message}", "Messages from cars stored and acked");
        _ackLatency = meter.CreateHistogram<double>("pitwall.ingest.ack.latency", "s", "From reading a car's message to acking it, durable", tags: null, advice: PitwallTelemetry.Seconds);
        meter.CreateObservableGauge("pitwall.outbox.backlog", OutboxBacklog, "{frame}", "Frames waiting in the cars' outboxes, all instances");
    }

    public void Acked(IReadOnlyList<(VehicleSession Session, InboundMessage Message)> batch)
    {
        var now = _time.GetUtcNow();
        _ingested.Add(batch.Count);
        foreach (var (_, message) in batch)
        {
            _ackLatency.Record((now - message.ReceivedAt).TotalSeconds);
        }
    }

    /// <summary>Counted when scraped, at most every few seconds (a scrape is rare; the count is one indexed scan).</summary>
    private IEnumerable<Measurement<long>> OutboxBacklog()
    {
        var now = _time.GetUtcNow();
        if (_backlog is not { } kept || now - kept.At > BacklogKeptFor)
        {
            try
            {
                var count = _database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM vehicle_outbox"), CancellationToken.None)
                    .GetAwaiter().GetResult();
                _backlog = kept = (count, now);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                return []; // the database is away: no reading rather than a wrong one
            }
        }
        return [new Measurement<long>(kept.Count)];
    }
}
