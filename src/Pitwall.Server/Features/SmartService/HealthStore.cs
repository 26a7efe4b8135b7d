using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.SmartService;

/// <summary>A component's stored health (<c>service_health</c>).</summary>
internal sealed class HealthRow
{
    public string Component { get; set; } = "";
    public string State { get; set; } = MaintenancePrediction.Ok;
    public double Value { get; set; }
    public long RecordedAt { get; set; }
    public double OdometerM { get; set; }
    public long? DueAt { get; set; }
    public double? DueOdometerM { get; set; }
    public double? Confidence { get; set; }
    public long Points { get; set; }
    public string Basis { get; set; } = "";
    public long ComputedAt { get; set; }
    public string NotifiedState { get; set; } = MaintenancePrediction.Ok;
}

/// <summary>A fault as stored (<c>service_faults</c>).</summary>
internal sealed class FaultRow
{
    public string Code { get; set; } = "";
    public string Status { get; set; } = "";
    public string ControlUnit { get; set; } = "";
    public long FirstSeen { get; set; }
    public long LastSeen { get; set; }
    public long Occurrences { get; set; }
    public long WarningLamp { get; set; }
    public string FreezeFrame { get; set; } = "[]";
    public long Notified { get; set; }
}

/// <summary>What the prediction of one car starts from.</summary>
internal sealed record CarInputs(
    ILookup<string, ConditionSample> Conditions, IReadOnlyList<FaultRow> OpenFaults, IReadOnlyDictionary<string, HealthRow> Health,
    DateTimeOffset? LastLogAt, double? Odometer);

/// <summary>The Smart Service's reads and the prediction job's writes (SQL of the feature's own tables).</summary>
internal sealed class HealthStore(Database database)
{
    private const string HealthColumns =
        "component, state, value, recorded_at AS RecordedAt, odometer_m AS OdometerM, due_at AS DueAt, due_odometer_m AS DueOdometerM, confidence, points, " +
        "basis, computed_at AS ComputedAt, notified_state AS NotifiedState";

    private const string FaultColumns =
        "code, status, control_unit AS ControlUnit, first_seen AS FirstSeen, last_seen AS LastSeen, occurrences, warning_lamp AS WarningLamp, " +
        "freeze_frame AS FreezeFrame, notified";

    /// <summary>Cars with new logs first, then cars whose health is older than <paramref name="staleBefore"/>.</summary>
    public Task<IReadOnlyList<string>> DueCarsAsync(int limit, DateTimeOffset staleBefore, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async c =>
        {
            var pending = (await c.QueryAsync<string>("SELECT vin FROM service_pending ORDER BY since LIMIT @limit", new { limit })).ToList();
            if (pending.Count < limit)
            {
                pending.AddRange((await c.QueryAsync<string>(
                    "SELECT vin FROM service_health GROUP BY vin HAVING MIN(computed_at) < @stale ORDER BY MIN(computed_at) LIMIT @limit",
                    new { stale = staleBefore.ToUnixTimeMilliseconds(), limit = limit - pending.Count })).Where(v => !pending.Contains(v)));
            }
            return pending;
        }, cancellationToken);

    public Task<CarInputs> InputsAsync(string vin, DateTimeOffset from, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var points = await c.QueryAsync<(string Component, long RecordedAt, double Odometer, double Value)>(
                "SELECT component, recorded_at, odometer_m, value FROM service_conditions WHERE vin = @vin AND recorded_at >= @from ORDER BY component, recorded_at",
                new { vin, from = from.ToUnixTimeMilliseconds() });
            var (lastAt, odometer) = await LastLogAsync(c, vin);
            return new CarInputs(
                points.ToLookup(p => p.Component, p => new ConditionSample(DateTimeOffset.FromUnixTimeMilliseconds(p.RecordedAt), p.Odometer, p.Value), StringComparer.Ordinal),
                await OpenFaultsAsync(c, vin), (await HealthAsync(c, vin)).ToDictionary(h => h.Component, StringComparer.Ordinal), lastAt, odometer);
        }, cancellationToken);

    public Task<(IReadOnlyList<HealthRow> Health, IReadOnlyList<FaultRow> Faults, DateTimeOffset? LastLogAt, double? Odometer)> ReadAsync(
        string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var (lastAt, odometer) = await LastLogAsync(c, vin);
            return (await HealthAsync(c, vin), await OpenFaultsAsync(c, vin), lastAt, odometer);
        }, cancellationToken);

    public async Task<IReadOnlyList<ConditionPoint>> HistoryAsync(string vin, string component, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<(long RecordedAt, double Odometer, double Value)>(
            "SELECT recorded_at, odometer_m, value FROM service_conditions WHERE vin = @vin AND component = @component ORDER BY recorded_at",
            new { vin, component }), cancellationToken))
            .Select(p => new ConditionPoint(DateTimeOffset.FromUnixTimeMilliseconds(p.RecordedAt), p.Odometer, p.Value))];

    /// <summary>The car's new health in the job's transaction; the car stays pending when a log arrived after <paramref name="startedAt"/>.</summary>
    public static async Task SaveAsync(DbConnection connection, DbTransaction transaction, string vin, IReadOnlyList<HealthRow> rows, DateTimeOffset startedAt)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO service_health (vin, component, state, value, recorded_at, odometer_m, due_at, due_odometer_m, confidence, points, basis, computed_at, notified_state)
            VALUES (@vin, @Component, @State, @Value, @RecordedAt, @OdometerM, @DueAt, @DueOdometerM, @Confidence, @Points, @Basis, @ComputedAt, @NotifiedState)
            ON CONFLICT (vin, component) DO UPDATE SET state = excluded.state, value = excluded.value, recorded_at = excluded.recorded_at,
                odometer_m = excluded.odometer_m, due_at = excluded.due_at, due_odometer_m = excluded.due_odometer_m, confidence = excluded.confidence,
                points = excluded.points, basis = excluded.basis, computed_at = excluded.computed_at, notified_state = excluded.notified_state
            """,
            rows.Select(r => new
            {
                vin, r.Component, r.State, r.Value, r.RecordedAt, r.OdometerM, r.DueAt, r.DueOdometerM, r.Confidence, r.Points, r.Basis, r.ComputedAt,
                r.NotifiedState,
            }), transaction);
        await connection.ExecuteAsync("DELETE FROM service_pending WHERE vin = @vin AND since <= @at",
            new { vin, at = startedAt.ToUnixTimeMilliseconds() }, transaction);
    }

    public static Task MarkFaultNotifiedAsync(DbConnection connection, DbTransaction transaction, string vin, string code) =>
        connection.ExecuteAsync("UPDATE service_faults SET notified = 1 WHERE vin = @vin AND code = @code", new { vin, code }, transaction);

    public static Task ForgetPendingAsync(DbConnection connection, DbTransaction transaction, string vin) =>
        connection.ExecuteAsync("DELETE FROM service_pending WHERE vin = @vin", new { vin }, transaction);

    private static async Task<(DateTimeOffset? At, double? Odometer)> LastLogAsync(DbConnection c, string vin)
    {
        var last = await c.QueryFirstOrDefaultAsync<(long RecordedAt, double? Odometer)?>(
            "SELECT recorded_at, odometer_m FROM service_logs WHERE vin = @vin ORDER BY recorded_at DESC, seq DESC LIMIT 1", new { vin });
        return last is { } l ? (DateTimeOffset.FromUnixTimeMilliseconds(l.RecordedAt), l.Odometer) : (null, null);
    }

    private static async Task<IReadOnlyList<HealthRow>> HealthAsync(DbConnection c, string vin) =>
        [.. await c.QueryAsync<HealthRow>($"SELECT {HealthColumns} FROM service_health WHERE vin = @vin ORDER BY component", new { vin })];

    private static async Task<IReadOnlyList<FaultRow>> OpenFaultsAsync(DbConnection c, string vin) =>
        [.. await c.QueryAsync<FaultRow>($"SELECT {FaultColumns} FROM service_faults WHERE vin = @vin AND cleared_at IS NULL ORDER BY first_seen, code", new { vin })];
}
