using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>The SQL of the breakdown and emergency cases and their timelines. Both kinds share the shape; the table follows the kind.</summary>
internal sealed class AssistanceCaseStore(Database database)
{
    private const string Columns =
        "id, vin, account_id AS AccountId, source, call_id AS CallId, state, opened_at AS OpenedAt, updated_at AS UpdatedAt, model, " +
        "callback_number AS CallbackNumber, latitude, longitude, accuracy_m AS AccuracyM, position_at AS PositionAt, snapshot, " +
        "snapshot_at AS SnapshotAt, diagnosis, claimed_by AS ClaimedBy, claimed_at AS ClaimedAt, action, eta_at AS EtaAt, " +
        "tow_dealer_id AS TowDealerId, dealer_id AS DealerId, closed_at AS ClosedAt";

    public static string Table(CaseKind kind) => kind == CaseKind.Emergency ? "emergency_cases" : "breakdown_cases";

    public static string EventTable(CaseKind kind) => kind == CaseKind.Emergency ? "emergency_case_events" : "breakdown_case_events";

    /// <returns>False when the car's call is known already (a resend).</returns>
    public static async Task<bool> OpenAsync(DbConnection c, DbTransaction t, AssistanceCase k) =>
        await c.ExecuteAsync(
            $"""
            INSERT INTO {Table(k.Kind)} (id, vin, account_id, source, call_id, state, opened_at, updated_at, model, callback_number, latitude,
                longitude, accuracy_m, position_at, snapshot, snapshot_at, diagnosis, dealer_id)
            VALUES (@Id, @Vin, @AccountId, @Source, @CallId, @State, @OpenedAt, @UpdatedAt, @Model, @CallbackNumber, @Latitude,
                @Longitude, @AccuracyM, @PositionAt, @Snapshot, @SnapshotAt, @Diagnosis, @DealerId)
            ON CONFLICT (vin, call_id) DO NOTHING
            """, k, t) > 0;

    /// <summary>The car's answer to the app's call: the snapshot of a case that waits for it. Returns the case id, or null.</summary>
    public static async Task<string?> AttachSnapshotAsync(DbConnection c, DbTransaction t, AssistanceCase k) =>
        await c.ExecuteAsync(
            """
            UPDATE breakdown_cases SET state = CASE WHEN state = 'requested' THEN 'waiting' ELSE state END, updated_at = @UpdatedAt, callback_number = COALESCE(callback_number, @CallbackNumber),
                latitude = @Latitude, longitude = @Longitude, accuracy_m = @AccuracyM, position_at = @PositionAt, snapshot = @Snapshot,
                snapshot_at = @SnapshotAt, diagnosis = @Diagnosis
            WHERE vin = @Vin AND call_id = @CallId AND snapshot IS NULL
            """, k, t) > 0
            ? await c.ExecuteScalarAsync<string>("SELECT id FROM breakdown_cases WHERE vin = @Vin AND call_id = @CallId", k, t)
            : null;

    public static Task AddEventAsync(DbConnection c, DbTransaction t, CaseKind kind, CaseEvent e) =>
        c.ExecuteAsync($"INSERT INTO {EventTable(kind)} (id, case_id, at, kind, actor, detail, request_id) VALUES (@Id, @CaseId, @At, @Kind, @Actor, @Detail, @RequestId)", e, t);

    public Task<AssistanceCase?> FindAsync(string id, CancellationToken cancellationToken) =>
        AssistanceCase.KindOf(id) is { } kind
            ? database.ReadAsync(c => c.QuerySingleOrDefaultAsync<AssistanceCase>($"SELECT {Columns} FROM {Table(kind)} WHERE id = @id", new { id }), cancellationToken)
            : Task.FromResult<AssistanceCase?>(null);

    public static Task<AssistanceCase?> FindAsync(DbConnection c, DbTransaction t, string id) =>
        c.QuerySingleOrDefaultAsync<AssistanceCase>($"SELECT {Columns} FROM {Table(AssistanceCase.KindOf(id) ?? CaseKind.Breakdown)} WHERE id = @id", new { id }, t);

    /// <summary>The open cases: emergency calls first, then breakdowns, each by waiting time (longest first).</summary>
    public async Task<IReadOnlyList<AssistanceCase>> QueueAsync(bool closed, int limit, CancellationToken cancellationToken) =>
        [.. await database.ReadAsync(c => c.QueryAsync<AssistanceCase>(
            $"""
            SELECT * FROM (
                SELECT 0 AS queue_rank, {Columns} FROM emergency_cases WHERE (state = 'closed') = @closed
                UNION ALL
                SELECT 1 AS queue_rank, {Columns} FROM breakdown_cases WHERE (state = 'closed') = @closed
            ) q
            ORDER BY {(closed ? "ClosedAt DESC" : "queue_rank, OpenedAt")}, id
            LIMIT @limit
            """, new { closed, limit }), cancellationToken)];

    /// <summary>A car's calls from <paramref name="since"/> on, newest first (the owner's view).</summary>
    public async Task<IReadOnlyList<AssistanceCase>> ForVehicleAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken) =>
        [.. await database.ReadAsync(c => c.QueryAsync<AssistanceCase>(
            $"""
            SELECT {Columns} FROM breakdown_cases WHERE vin = @vin AND opened_at >= @since
            UNION ALL SELECT {Columns} FROM emergency_cases WHERE vin = @vin AND opened_at >= @since
            ORDER BY OpenedAt DESC, id DESC
            """, new { vin, since = since.ToUnixTimeMilliseconds() }), cancellationToken)];

    /// <summary>The breakdown cases a dealer was named for (whether the consent still holds is the caller's question).</summary>
    public async Task<IReadOnlyList<AssistanceCase>> ForDealerAsync(string dealerId, CancellationToken cancellationToken) =>
        [.. await database.ReadAsync(c => c.QueryAsync<AssistanceCase>(
            $"SELECT {Columns} FROM breakdown_cases WHERE dealer_id = @dealerId ORDER BY opened_at DESC, id DESC LIMIT 200", new { dealerId }), cancellationToken)];

    public async Task<IReadOnlyList<CaseEvent>> EventsAsync(string id, CancellationToken cancellationToken) =>
        AssistanceCase.KindOf(id) is { } kind
            ? [.. await database.ReadAsync(c => c.QueryAsync<CaseEvent>(
                $"SELECT id, case_id AS CaseId, at, kind, actor, detail, request_id AS RequestId FROM {EventTable(kind)} WHERE case_id = @id ORDER BY at, id",
                new { id }), cancellationToken)]
            : [];

    /// <summary>The breakdown case a live-diagnosis request of this car belongs to; null when there is none.</summary>
    public static Task<string?> CaseOfRequestAsync(DbConnection c, DbTransaction t, string vin, string requestId) =>
        c.ExecuteScalarAsync<string?>(
            """
            SELECT e.case_id FROM breakdown_case_events e JOIN breakdown_cases k ON k.id = e.case_id
            WHERE e.request_id = @requestId AND e.kind = 'live_diagnosis_requested' AND k.vin = @vin
            """, new { vin, requestId }, t);

    /// <summary>Sets the columns named in <paramref name="set"/> (an SQL fragment over the case's properties) where <paramref name="guard"/> holds.</summary>
    /// <returns>False when the guard did not hold (another agent holds it, it is closed).</returns>
    public static async Task<bool> UpdateAsync(DbConnection c, DbTransaction t, AssistanceCase k, string set, string guard = "1 = 1") =>
        await c.ExecuteAsync($"UPDATE {Table(k.Kind)} SET {set}, updated_at = @UpdatedAt WHERE id = @Id AND {guard}", k, t) > 0;

    /// <summary>An account is being erased: its own breakdown calls go (their legal basis was its consent); emergency calls stay
    /// for their period (legal obligation) without the link to the account; the account's agent entries lose their name.</summary>
    public static async Task EraseAccountAsync(DbConnection c, DbTransaction t, string accountId)
    {
        await c.ExecuteAsync("DELETE FROM breakdown_cases WHERE account_id = @accountId", new { accountId }, t);
        await c.ExecuteAsync("UPDATE emergency_cases SET account_id = NULL, callback_number = NULL WHERE account_id = @accountId", new { accountId }, t);
        foreach (var table in new[] { "breakdown_case_events", "emergency_case_events" })
        {
            await c.ExecuteAsync($"UPDATE {table} SET actor = NULL WHERE actor = @accountId", new { accountId }, t);
        }
    }
}
