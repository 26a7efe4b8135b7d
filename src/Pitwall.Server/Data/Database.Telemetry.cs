using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pitwall.Server.Hosting.Telemetry;

namespace Pitwall.Server.Data;

/// <summary>The database's spans (one per read and per write, around Npgsql's own) and the SQLite writer's instruments.</summary>
public sealed partial class Database
{
    private Histogram<double>? _batchDuration;
    private int _sqliteQueued; // the single-reader channel cannot count its items
    private Histogram<int>? _batchSize;
    private System.Diagnostics.Metrics.Meter? _meter;

    private void CreateInstruments(IMeterFactory? meters)
    {
        if (meters is null || Dialect != SqlDialect.Sqlite)
        {
            return;
        }
        var meter = _meter = meters.Create(PitwallTelemetry.Name);
        meter.CreateObservableGauge("pitwall.db.writer.queue", () => Volatile.Read(ref _sqliteQueued), "{write}",
            "Writes waiting for SQLite's one writer");
        _batchDuration = meter.CreateHistogram<double>("pitwall.db.writer.batch.duration", "s",
            "Time of one group commit: its writes' statements and the COMMIT", tags: null, advice: PitwallTelemetry.Seconds);
        _batchSize = meter.CreateHistogram<int>("pitwall.db.writer.batch.size", "{write}", "Writes committed together");
    }

    private void RecordBatch(long startedAt, int writes)
    {
        _batchDuration?.Record(PitwallTelemetry.SecondsSince(startedAt));
        _batchSize?.Record(writes);
    }

    private Activity? StartSpan(string operation)
    {
        var activity = PitwallTelemetry.Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("db.system.name", Dialect == SqlDialect.Postgres ? "postgresql" : "sqlite");
        return activity;
    }
}
