using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Bench.SmartService;

/// <summary>
/// The raw insert ceiling of the service-log intake: the rows the platform writes for one day's logs — per car the log, its 20
/// conditions, its 5 fault-memory entries (upserts: the same codes come back daily), the product-observation copy, the car's
/// mark for the prediction job and its link high-water mark — as plain prepared inserts through Microsoft.Data.Sqlite, batched
/// in one transaction per <c>batch</c> cars, into the same migrated SQLite file layout (WAL, foreign keys on, default
/// synchronous, as Pitwall opens it). No platform code: no gate, no handler, no Dapper. The JSON contents are made before the
/// clock runs, so only storage is timed. Also fills the cars' condition history before a run (not timed).
/// </summary>
internal static class ServiceLogCeiling
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    private const string InsertLog =
        "INSERT INTO service_logs (id, vin, seq, cause, recorded_at, received_at, odometer_m, content) VALUES ($id, $vin, $seq, 'periodic', $at, $now, $odometer, $content)";
    private const string InsertCondition =
        "INSERT INTO service_conditions (vin, component, recorded_at, odometer_m, value) VALUES ($vin, $component, $at, $odometer, $value) ON CONFLICT DO NOTHING";
    private const string UpsertFault =
        """
        INSERT INTO service_faults (vin, code, status, control_unit, first_seen, last_seen, occurrences, warning_lamp, freeze_frame, cleared_at, notified, updated_at)
        VALUES ($vin, $code, 'confirmed', 'engine', $first, $at, $occurrences, 1, $freeze, NULL, 0, $at)
        ON CONFLICT (vin, code) DO UPDATE SET status = excluded.status, last_seen = excluded.last_seen, occurrences = excluded.occurrences,
            freeze_frame = excluded.freeze_frame, updated_at = excluded.updated_at
        """;
    private const string InsertObservation =
        "INSERT INTO product_observation (id, vin, market, recorded_day, created_at, delete_after, content) VALUES ($id, $vin, 'FR', $day, $now, $deleteAfter, $content)";
    private const string UpsertPending = "INSERT INTO service_pending (vin, since) VALUES ($vin, $now) ON CONFLICT (vin) DO UPDATE SET since = excluded.since";
    private const string AdvanceLink = "UPDATE vehicle_car_marks SET last_car_seq = $seq, last_seen_at = $now WHERE vin = $vin";
    private const string EnsureLink = "INSERT INTO vehicle_car_marks (vin, last_car_seq) VALUES ($vin, 0) ON CONFLICT (vin) DO NOTHING";

    private static SqliteConnection Open(string path)
    {
        SQLitePCL.Batteries_V2.Init();
        var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private sealed class Statement : IDisposable
    {
        private readonly SqliteCommand _command;

        public Statement(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = sql;
            foreach (var name in names)
            {
                _command.Parameters.Add(new SqliteParameter(name, null));
            }
            _command.Prepare();
        }

        public void Run(params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                _command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
            _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }

    /// <summary>Stores <paramref name="days"/> days of logs of <paramref name="cars"/> cars; returns the seconds inside the transactions per day.</summary>
    public static IReadOnlyList<double> Run(string path, int cars, int days, int batch, long firstDayMs, int firstDay)
    {
        using var connection = Open(path);
        using (var transaction = connection.BeginTransaction())
        using (var ensure = new Statement(connection, transaction, EnsureLink, "$vin"))
        {
            for (var car = 0; car < cars; car++)
            {
                ensure.Run(Fleet.Vin(car));
            }
            transaction.Commit();
        }
        var perDay = new List<double>();
        for (var day = firstDay; day < firstDay + days; day++)
        {
            var ticks = 0L;
            for (var from = 0; from < cars; from += batch)
            {
                var logs = Enumerable.Range(from, Math.Min(batch, cars - from)).Select(car => Prepare(car, day, firstDayMs)).ToList();
                var started = Stopwatch.GetTimestamp();
                Write(connection, logs, day);
                ticks += Stopwatch.GetTimestamp() - started;
            }
            perDay.Add(ticks / (double)Stopwatch.Frequency);
        }
        return perDay;
    }

    private sealed record PreparedLog(string Vin, ServiceLog Log, string Content, string Observation, string FreezeFrame);

    private static PreparedLog Prepare(int car, int day, long firstDayMs)
    {
        var log = DailyLogs.Log(car, day, firstDayMs);
        var content = new ServiceLog { LogVersion = log.LogVersion, Cause = log.Cause, RecordedAtMs = log.RecordedAtMs, ControlUnits = { log.ControlUnits }, Usage = log.Usage };
        var freeze = System.Text.Json.JsonSerializer.Serialize(log.Faults[0].FreezeFrame.Select(v => new { name = v.Name, value = v.Value, unit = v.Unit }));
        return new PreparedLog(Fleet.Vin(car), log, Json.Format(content), Json.Format(log), freeze);
    }

    private static void Write(SqliteConnection connection, List<PreparedLog> logs, int day)
    {
        var now = TimeProvider.System.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var deleteAfter = now.AddDays(3650).ToUnixTimeMilliseconds();
        using var transaction = connection.BeginTransaction();
        using var log = new Statement(connection, transaction, InsertLog, "$id", "$vin", "$seq", "$at", "$now", "$odometer", "$content");
        using var condition = new Statement(connection, transaction, InsertCondition, "$vin", "$component", "$at", "$odometer", "$value");
        using var fault = new Statement(connection, transaction, UpsertFault, "$vin", "$code", "$first", "$at", "$occurrences", "$freeze");
        using var observation = new Statement(connection, transaction, InsertObservation, "$id", "$vin", "$day", "$now", "$deleteAfter", "$content");
        using var pending = new Statement(connection, transaction, UpsertPending, "$vin", "$now");
        using var link = new Statement(connection, transaction, AdvanceLink, "$seq", "$now", "$vin");
        foreach (var p in logs)
        {
            var at = p.Log.RecordedAtMs;
            var odometer = p.Log.Usage.OdometerM;
            log.Run(Guid.CreateVersion7(now).ToString(), p.Vin, day + 1, at, nowMs, odometer, p.Content);
            foreach (var c in p.Log.Components)
            {
                condition.Run(p.Vin, ComponentCatalog.Find(c.Id)!.Key, at, odometer, c.Value);
            }
            foreach (var f in p.Log.Faults)
            {
                fault.Run(p.Vin, f.Code, f.FirstSeenMs, at, (long)f.Occurrences, p.FreezeFrame);
            }
            observation.Run(Guid.CreateVersion7(now).ToString(), p.Vin, at - at % 86_400_000, nowMs, deleteAfter, p.Observation);
            pending.Run(p.Vin, nowMs);
            link.Run(day + 1, nowMs, p.Vin);
        }
        transaction.Commit();
    }

    /// <summary>The cars' condition history of days 0 .. <paramref name="days"/> − 1 (what the prediction fits its trends to), as a
    /// car that has sent its logs that long would have it. Not timed.</summary>
    public static void FillHistory(string path, int cars, int days, long firstDayMs)
    {
        using var connection = Open(path);
        for (var from = 0; from < cars; from += 1000)
        {
            using var transaction = connection.BeginTransaction();
            using var condition = new Statement(connection, transaction, InsertCondition, "$vin", "$component", "$at", "$odometer", "$value");
            for (var car = from; car < Math.Min(cars, from + 1000); car++)
            {
                var vin = Fleet.Vin(car);
                for (var day = 0; day < days; day++)
                {
                    var at = DailyLogs.TakenAtMs(firstDayMs, car, day);
                    foreach (var component in ComponentCatalog.All.Take(DailyLogs.Components))
                    {
                        condition.Run(vin, component.Key, at, DailyLogs.Odometer(car, day), DailyLogs.Value(component, car, day));
                    }
                }
            }
            transaction.Commit();
        }
    }
}
