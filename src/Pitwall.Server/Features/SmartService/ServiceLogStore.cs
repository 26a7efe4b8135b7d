using System.Data.Common;
using Dapper;
using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.SmartService;

/// <summary>
/// Writes a service log (F1) inside the ingest batch's transaction: the log (identification and usage data), a point per
/// component condition, the fault memory (a fault the log no longer lists becomes cleared), the product-observation copy,
/// and the car's mark for the prediction job. Every write is idempotent, so a resent log changes nothing.
/// </summary>
internal static class ServiceLogStore
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    /// <param name="observation">The product-observation row's market and deletion time.</param>
    public static async Task SaveAsync(
        DbConnection connection, DbTransaction transaction, string vin, long seq, ServiceLog log, DateTimeOffset now, (string Market, DateTimeOffset DeleteAfter) observation)
    {
        var recordedAt = log.RecordedAtMs;
        var odometer = log.Usage?.OdometerM;
        var content = new ServiceLog { LogVersion = log.LogVersion, Cause = log.Cause, RecordedAtMs = recordedAt, ControlUnits = { log.ControlUnits }, Usage = log.Usage, Crossed = { log.Crossed } };
        var stored = await connection.ExecuteAsync(
            """
            INSERT INTO service_logs (id, vin, seq, cause, recorded_at, received_at, odometer_m, content)
            VALUES (@id, @vin, @seq, @cause, @recordedAt, @now, @odometer, @content) ON CONFLICT (vin, seq) DO NOTHING
            """,
            new
            {
                id = Guid.CreateVersion7(now).ToString(), vin, seq, cause = CauseName(log.Cause), recordedAt, now = now.ToUnixTimeMilliseconds(),
                odometer, content = Json.Format(content),
            }, transaction);
        if (stored == 0)
        {
            return; // a resend of a stored log
        }
        if (odometer is { } km)
        {
            var points = log.Components.Select(c => (Component: ComponentCatalog.Find(c.Id), c.Value)).Where(c => c.Component is not null)
                .Select(c => new { vin, component = c.Component!.Key, recordedAt, odometer = km, value = c.Value }).ToList();
            await connection.ExecuteAsync(
                """
                INSERT INTO service_conditions (vin, component, recorded_at, odometer_m, value) VALUES (@vin, @component, @recordedAt, @odometer, @value)
                ON CONFLICT (vin, component, recorded_at) DO NOTHING
                """, points, transaction);
        }
        await SaveFaultsAsync(connection, transaction, vin, log);
        await connection.ExecuteAsync(
            """
            INSERT INTO product_observation (id, vin, market, recorded_day, created_at, delete_after, content)
            VALUES (@id, @vin, @market, @day, @now, @deleteAfter, @content)
            """,
            new
            {
                id = Guid.CreateVersion7(now).ToString(), vin, market = observation.Market, day = recordedAt - recordedAt % 86_400_000,
                now = now.ToUnixTimeMilliseconds(), deleteAfter = observation.DeleteAfter.ToUnixTimeMilliseconds(), content = Json.Format(log),
            }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO service_pending (vin, since) VALUES (@vin, @now) ON CONFLICT (vin) DO UPDATE SET since = excluded.since",
            new { vin, now = now.ToUnixTimeMilliseconds() }, transaction);
    }

    /// <summary>The fault memory as of this log, unless a newer log was stored already.</summary>
    private static async Task SaveFaultsAsync(DbConnection connection, DbTransaction transaction, string vin, ServiceLog log)
    {
        var at = log.RecordedAtMs;
        var faults = log.Faults.GroupBy(f => f.Code).Select(g => g.Last()).Select(f => new
        {
            vin, code = f.Code, status = StatusName(f.Status), unit = f.ControlUnit, firstSeen = f.FirstSeenMs > 0 ? f.FirstSeenMs : at,
            lastSeen = f.LastSeenMs > 0 ? f.LastSeenMs : at, occurrences = (long)Math.Max(1, f.Occurrences), lamp = f.WarningLamp ? 1 : 0,
            freezeFrame = System.Text.Json.JsonSerializer.Serialize(f.FreezeFrame.Select(v => new { name = v.Name, value = v.Value, unit = v.Unit })), at,
        }).ToList();
        await connection.ExecuteAsync(
            """
            INSERT INTO service_faults (vin, code, status, control_unit, first_seen, last_seen, occurrences, warning_lamp, freeze_frame, cleared_at, notified, updated_at)
            VALUES (@vin, @code, @status, @unit, @firstSeen, @lastSeen, @occurrences, @lamp, @freezeFrame, NULL, 0, @at)
            ON CONFLICT (vin, code) DO UPDATE SET
                status = excluded.status, control_unit = excluded.control_unit, last_seen = excluded.last_seen, occurrences = excluded.occurrences,
                warning_lamp = excluded.warning_lamp, freeze_frame = excluded.freeze_frame, updated_at = excluded.updated_at,
                first_seen = CASE WHEN service_faults.cleared_at IS NULL THEN service_faults.first_seen ELSE excluded.first_seen END,
                notified = CASE WHEN service_faults.cleared_at IS NULL THEN service_faults.notified ELSE 0 END,
                cleared_at = NULL
            WHERE service_faults.updated_at <= excluded.updated_at
            """, faults, transaction);
        // A fault the car no longer lists was cleared (one statement per code: "NOT IN @list" is not portable across the engines).
        var open = await connection.QueryAsync<string>(
            "SELECT code FROM service_faults WHERE vin = @vin AND cleared_at IS NULL AND updated_at < @at", new { vin, at }, transaction);
        var cleared = open.Except(faults.Select(f => f.code), StringComparer.Ordinal).Select(code => new { vin, code, at }).ToList();
        await connection.ExecuteAsync(
            "UPDATE service_faults SET status = 'cleared', cleared_at = @at, updated_at = @at WHERE vin = @vin AND code = @code", cleared, transaction);
    }

    /// <summary>Settles the car's product-observation rows stored since the last time (model IS NULL): model, market, deletion time.</summary>
    public static Task SettleObservationAsync(DbConnection connection, DbTransaction transaction, Features.Vehicles.Vehicle vehicle, string market, long periodMs) =>
        connection.ExecuteAsync(
            """
            UPDATE product_observation SET model = @model, model_year = @modelYear, market = @market, delete_after = created_at + @periodMs
            WHERE vin = @vin AND model IS NULL
            """,
            new { vin = vehicle.Vin, model = vehicle.Model, modelYear = vehicle.ModelYear, market, periodMs }, transaction);

    /// <summary>The car left its users (unpairing, account erasure): the Smart Service's data goes; product observation stays,
    /// de-identified (no VIN).</summary>
    public static async Task ForgetCarAsync(DbConnection connection, DbTransaction transaction, string vin)
    {
        foreach (var table in (string[])["service_logs", "service_conditions", "service_faults", "service_health", "service_pending"])
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE vin = @vin", new { vin }, transaction);
        }
        await connection.ExecuteAsync("UPDATE product_observation SET vin = NULL WHERE vin = @vin", new { vin }, transaction);
    }

    public static string CauseName(ServiceLog.Types.Cause cause) => cause switch
    {
        ServiceLog.Types.Cause.Periodic => "periodic",
        ServiceLog.Types.Cause.Threshold => "threshold",
        ServiceLog.Types.Cause.Fault => "fault",
        ServiceLog.Types.Cause.OnRequest => "on_request",
        _ => "unspecified",
    };

    public static string StatusName(FaultEntry.Types.Status status) => status switch
    {
        FaultEntry.Types.Status.Confirmed => "confirmed",
        FaultEntry.Types.Status.Permanent => "permanent",
        _ => "pending",
    };
}
