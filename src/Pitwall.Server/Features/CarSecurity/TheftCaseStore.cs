using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.CarSecurity;

public sealed record TheftCase(
    string Id, string Vin, string IncidentId, string Source, string Reason, string State, string? Outcome, int Urgency, string? OwnerAccountId,
    string? AssignedTo, string? AuthorityAccountId, string? AuthorityReference, string? Circumstances, int IdentityAttempts,
    DateTimeOffset? IdentityVerifiedAt, DateTimeOffset OpenedAt, DateTimeOffset? TheftModeStartedAt, DateTimeOffset? TheftModeEndedAt,
    DateTimeOffset? LastTrackedAt, double? LastLatitude, double? LastLongitude, double? LastSpeedMps, DateTimeOffset? ConfirmedAt, DateTimeOffset? ClosedAt)
{
    public bool IsClosed => State == CaseStates.Closed;

    /// <summary>Whether the car is in theft mode now: it started and the car has not said it ended.</summary>
    public bool InTheftMode => TheftModeStartedAt is not null && TheftModeEndedAt is null;

    /// <summary>B4: open, or the car has not yet said it left theft mode.</summary>
    public bool Stolen => !IsClosed || (InTheftMode && Source == CaseSources.Car);
}

public sealed record GsmCellInfo(long Mcc, long Mnc, long Lac, long CellId, long? SignalDbm);

public sealed record TrackingPoint(
    long Seq, string Phase, DateTimeOffset RecordedAt, DateTimeOffset ReceivedAt, double? Latitude, double? Longitude, double? AccuracyM, GsmCellInfo? GsmCell,
    double SpeedMps, bool IgnitionOn, bool EngineRunning, double RemainingRangeM, double OdometerM, double? BatteryVoltageV, double? FuelLevelPercent,
    string GsmAntenna, string GpsAntenna);

/// <param name="SubjectAccountId">Whom the entry is about (the operator or authority a case went to), when anyone.</param>
public sealed record AuditEntry(string Id, DateTimeOffset At, string? ActorAccountId, string ActorRole, string Action, string Detail, string? SubjectAccountId);

internal sealed record ContactAttempt(string Id, DateTimeOffset At, string? OperatorId, int PhoneIndex, string Outcome, string? Note);

public sealed record HealthCheckState(string Vin, DateTimeOffset? LastCheckAt, DateTimeOffset? FlaggedAt)
{
    /// <summary>E4: flagged, and no check came in since (the condition of <see cref="TheftCaseStore.MissedHealthChecksAsync"/>).</summary>
    public bool Missed => FlaggedAt is { } flagged && (LastCheckAt is null || LastCheckAt < flagged);
}

/// <summary>The SQL of Car Security: cases, their track, audit and contact logs, the per-car settings and health checks.</summary>
public sealed class TheftCaseStore(Database database)
{
    private const string CaseColumns =
        "id AS Id, vin AS Vin, incident_id AS IncidentId, source AS Source, reason AS Reason, state AS State, outcome AS Outcome, urgency AS Urgency, " +
        "owner_account_id AS OwnerAccountId, assigned_to AS AssignedTo, authority_account_id AS AuthorityAccountId, authority_reference AS AuthorityReference, " +
        "circumstances AS Circumstances, identity_attempts AS IdentityAttempts, identity_verified_at AS IdentityVerifiedAt, opened_at AS OpenedAt, " +
        "theft_mode_started_at AS TheftModeStartedAt, theft_mode_ended_at AS TheftModeEndedAt, last_tracked_at AS LastTrackedAt, " +
        "last_latitude AS LastLatitude, last_longitude AS LastLongitude, last_speed_mps AS LastSpeedMps, confirmed_at AS ConfirmedAt, closed_at AS ClosedAt";

    private const string TrackColumns =
        "seq AS Seq, phase AS Phase, recorded_at AS RecordedAt, received_at AS ReceivedAt, latitude AS Latitude, longitude AS Longitude, accuracy_m AS AccuracyM, " +
        "gsm_mcc AS GsmMcc, gsm_mnc AS GsmMnc, gsm_lac AS GsmLac, gsm_cell_id AS GsmCellId, gsm_signal_dbm AS GsmSignalDbm, speed_mps AS SpeedMps, " +
        "ignition_on AS IgnitionOn, engine_running AS EngineRunning, remaining_range_m AS RemainingRangeM, odometer_m AS OdometerM, " +
        "battery_voltage_v AS BatteryVoltageV, fuel_level_percent AS FuelLevelPercent, gsm_antenna AS GsmAntenna, gps_antenna AS GpsAntenna";

    // ---- reads ----

    public async Task<TheftCase?> FindAsync(string id, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => FindAsync(c, null, id), cancellationToken);

    internal static async Task<TheftCase?> FindAsync(DbConnection c, DbTransaction? t, string id) =>
        await c.QuerySingleOrDefaultAsync<CaseRow>($"SELECT {CaseColumns} FROM theft_cases WHERE id = @id", new { id }, t) is { } row ? Map(row) : null;

    internal static async Task<TheftCase?> FindByIncidentAsync(DbConnection c, DbTransaction t, string vin, string incidentId) =>
        await c.QuerySingleOrDefaultAsync<CaseRow>($"SELECT {CaseColumns} FROM theft_cases WHERE vin = @vin AND incident_id = @incidentId",
            new { vin, incidentId }, t) is { } row ? Map(row) : null;

    /// <summary>The SOC's queue: cases not closed, most urgent first, then oldest first; or the latest closed ones.</summary>
    public async Task<IReadOnlyList<TheftCase>> QueueAsync(bool closed, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<CaseRow>(closed
            ? $"SELECT {CaseColumns} FROM theft_cases WHERE state = 'closed' ORDER BY closed_at DESC, id LIMIT @limit"
            : $"SELECT {CaseColumns} FROM theft_cases WHERE state <> 'closed' ORDER BY urgency DESC, opened_at, id LIMIT @limit", new { limit }),
            cancellationToken)).Select(Map).ToList();

    /// <summary>The cases handed to one authority (the only ones it may see), newest first.</summary>
    public async Task<IReadOnlyList<TheftCase>> ForAuthorityAsync(string authorityAccountId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<CaseRow>(
            $"SELECT {CaseColumns} FROM theft_cases WHERE authority_account_id = @authorityAccountId ORDER BY opened_at DESC, id LIMIT 500",
            new { authorityAccountId }), cancellationToken)).Select(Map).ToList();

    public async Task<IReadOnlyList<TheftCase>> ForVehicleAsync(string vin, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<CaseRow>(
            $"SELECT {CaseColumns} FROM theft_cases WHERE vin = @vin ORDER BY opened_at DESC, id LIMIT 200", new { vin }), cancellationToken)).Select(Map).ToList();

    /// <summary>The vehicle's cases opened since <paramref name="since"/> (what its current user may see), newest first.</summary>
    public async Task<IReadOnlyList<TheftCase>> ForVehicleAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<CaseRow>(
            $"SELECT {CaseColumns} FROM theft_cases WHERE vin = @vin AND opened_at >= @since ORDER BY opened_at DESC, id LIMIT 200",
            new { vin, since = since.ToUnixTimeMilliseconds() }), cancellationToken)).Select(Map).ToList();

    /// <summary>B4: whether the vehicle has a case that is open or whose car is still in theft mode.</summary>
    public async Task<bool> IsStolenAsync(string vin, CancellationToken cancellationToken) =>
        (await ForVehicleAsync(vin, cancellationToken)).Any(c => c.Stolen);

    /// <summary>The track in the car's order, after <paramref name="afterSeq"/>.</summary>
    public async Task<IReadOnlyList<TrackingPoint>> TrackAsync(string caseId, long afterSeq, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<TrackRow>(
            $"SELECT {TrackColumns} FROM theft_tracking WHERE case_id = @caseId AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { caseId, afterSeq, limit }), cancellationToken)).Select(Map).ToList();

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string caseId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string Id, long At, string? Actor, string Role, string Action, string Detail, string? Subject)>(
            "SELECT id, at, actor_account_id, actor_role, action, detail, subject_account_id FROM theft_case_audit WHERE case_id = @caseId ORDER BY ordinal, id",
            new { caseId }), cancellationToken)).Select(r => new AuditEntry(r.Id, At(r.At), r.Actor, r.Role, r.Action, r.Detail, r.Subject)).ToList();

    internal async Task<IReadOnlyList<ContactAttempt>> ContactsAsync(string caseId, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => ContactsAsync(c, null, caseId), cancellationToken);

    internal static async Task<IReadOnlyList<ContactAttempt>> ContactsAsync(DbConnection c, DbTransaction? t, string caseId) =>
        (await c.QueryAsync<(string Id, long At, string? Operator, long Index, string Outcome, string? Note)>(
            "SELECT id, at, operator_id, phone_index, outcome, note FROM theft_contact_attempts WHERE case_id = @caseId ORDER BY ordinal, id", new { caseId }, t))
        .Select(r => new ContactAttempt(r.Id, At(r.At), r.Operator, (int)r.Index, r.Outcome, r.Note)).ToList();

    // ---- cases, in a caller's transaction ----

    internal static Task InsertCaseAsync(DbConnection c, DbTransaction t, TheftCase k) =>
        c.ExecuteAsync(
            """
            INSERT INTO theft_cases (id, vin, incident_id, source, reason, state, urgency, owner_account_id, authority_account_id, authority_reference,
                circumstances, identity_attempts, opened_at, theft_mode_started_at)
            VALUES (@Id, @Vin, @IncidentId, @Source, @Reason, @State, @Urgency, @OwnerAccountId, @AuthorityAccountId, @AuthorityReference,
                @Circumstances, 0, @openedAt, @startedAt)
            """,
            new
            {
                k.Id, k.Vin, k.IncidentId, k.Source, k.Reason, k.State, k.Urgency, k.OwnerAccountId, k.AuthorityAccountId, k.AuthorityReference,
                k.Circumstances, openedAt = k.OpenedAt.ToUnixTimeMilliseconds(), startedAt = k.TheftModeStartedAt?.ToUnixTimeMilliseconds(),
            }, t);

    /// <returns>False when the car sent this message before (same seq).</returns>
    internal static async Task<bool> AddTrackingAsync(DbConnection c, DbTransaction t, string caseId, TrackingPoint p) =>
        await c.ExecuteAsync(
            """
            INSERT INTO theft_tracking (case_id, seq, phase, recorded_at, received_at, latitude, longitude, accuracy_m, gsm_mcc, gsm_mnc, gsm_lac, gsm_cell_id,
                gsm_signal_dbm, speed_mps, ignition_on, engine_running, remaining_range_m, odometer_m, battery_voltage_v, fuel_level_percent, gsm_antenna, gps_antenna)
            VALUES (@caseId, @Seq, @Phase, @recordedAt, @receivedAt, @Latitude, @Longitude, @AccuracyM, @mcc, @mnc, @lac, @cell, @signal, @SpeedMps, @ignition,
                @engine, @RemainingRangeM, @OdometerM, @BatteryVoltageV, @FuelLevelPercent, @GsmAntenna, @GpsAntenna)
            ON CONFLICT (case_id, seq) DO NOTHING
            """,
            new
            {
                caseId, p.Seq, p.Phase, recordedAt = p.RecordedAt.ToUnixTimeMilliseconds(), receivedAt = p.ReceivedAt.ToUnixTimeMilliseconds(), p.Latitude, p.Longitude,
                p.AccuracyM, mcc = p.GsmCell?.Mcc, mnc = p.GsmCell?.Mnc, lac = p.GsmCell?.Lac, cell = p.GsmCell?.CellId, signal = p.GsmCell?.SignalDbm, p.SpeedMps,
                ignition = p.IgnitionOn ? 1 : 0, engine = p.EngineRunning ? 1 : 0, p.RemainingRangeM, p.OdometerM, p.BatteryVoltageV, p.FuelLevelPercent,
                p.GsmAntenna, p.GpsAntenna,
            }, t) == 1;

    /// <summary>After a tracking message: the latest position, the theft-mode times and the urgency.</summary>
    internal static Task TrackedAsync(DbConnection c, DbTransaction t, TheftCase k) =>
        c.ExecuteAsync(
            """
            UPDATE theft_cases SET last_tracked_at = @tracked, last_latitude = COALESCE(@LastLatitude, last_latitude),
                last_longitude = COALESCE(@LastLongitude, last_longitude), last_speed_mps = @LastSpeedMps, urgency = @Urgency,
                theft_mode_started_at = COALESCE(theft_mode_started_at, @started), theft_mode_ended_at = COALESCE(theft_mode_ended_at, @ended)
            WHERE id = @Id
            """,
            new
            {
                k.Id, tracked = k.LastTrackedAt?.ToUnixTimeMilliseconds(), k.LastLatitude, k.LastLongitude, k.LastSpeedMps, k.Urgency,
                started = k.TheftModeStartedAt?.ToUnixTimeMilliseconds(), ended = k.TheftModeEndedAt?.ToUnixTimeMilliseconds(),
            }, t);

    /// <summary>Claims the case for an operator unless another holds it (compare-and-set).</summary>
    internal static async Task<bool> ClaimAsync(DbConnection c, DbTransaction t, string id, string operatorId) =>
        await c.ExecuteAsync(
            "UPDATE theft_cases SET assigned_to = @operatorId WHERE id = @id AND state <> 'closed' AND (assigned_to IS NULL OR assigned_to = @operatorId)",
            new { id, operatorId }, t) == 1;

    internal static async Task<bool> AssignAsync(DbConnection c, DbTransaction t, string id, string fromOperatorId, string? toOperatorId) =>
        await c.ExecuteAsync("UPDATE theft_cases SET assigned_to = @toOperatorId WHERE id = @id AND state <> 'closed' AND assigned_to = @fromOperatorId",
            new { id, fromOperatorId, toOperatorId }, t) == 1;

    /// <summary>Counts one identity-check attempt if any is left; null when none was.</summary>
    internal static async Task<int?> TakeIdentityAttemptAsync(DbConnection c, DbTransaction t, string id, int max) =>
        await c.ExecuteAsync("UPDATE theft_cases SET identity_attempts = identity_attempts + 1 WHERE id = @id AND identity_attempts < @max AND identity_verified_at IS NULL",
            new { id, max }, t) == 1
            ? (int)await c.ExecuteScalarAsync<long>("SELECT identity_attempts FROM theft_cases WHERE id = @id", new { id }, t)
            : null;

    internal static Task VerifiedAsync(DbConnection c, DbTransaction t, string id, DateTimeOffset now) =>
        c.ExecuteAsync("UPDATE theft_cases SET identity_verified_at = @now WHERE id = @id", new { id, now = now.ToUnixTimeMilliseconds() }, t);

    internal static async Task<bool> HandOverAsync(
        DbConnection c, DbTransaction t, string id, string authorityAccountId, string circumstances, int urgency, DateTimeOffset now) =>
        await c.ExecuteAsync(
            """
            UPDATE theft_cases SET state = 'handed_over', authority_account_id = @authorityAccountId, circumstances = @circumstances, confirmed_at = @now,
                urgency = @urgency
            WHERE id = @id AND state = 'open'
            """, new { id, authorityAccountId, circumstances, urgency, now = now.ToUnixTimeMilliseconds() }, t) == 1;

    /// <returns>False unless the case is handed to this authority.</returns>
    internal static async Task<bool> SetAuthorityReferenceAsync(DbConnection c, DbTransaction t, string id, string authorityId, string reference) =>
        await c.ExecuteAsync("UPDATE theft_cases SET authority_reference = @reference WHERE id = @id AND authority_account_id = @authorityId",
            new { id, authorityId, reference }, t) == 1;

    internal static async Task<bool> CloseAsync(DbConnection c, DbTransaction t, string id, string fromState, string outcome, DateTimeOffset now) =>
        await c.ExecuteAsync(
            "UPDATE theft_cases SET state = 'closed', outcome = @outcome, closed_at = @now, urgency = 0 WHERE id = @id AND state = @fromState",
            new { id, fromState, outcome, now = now.ToUnixTimeMilliseconds() }, t) == 1;

    /// <param name="detail">Words for people; never an account id — whom it is about goes in <paramref name="subject"/>.</param>
    internal static Task AuditAsync(
        DbConnection c, DbTransaction t, string caseId, Actor actor, string action, string detail, DateTimeOffset at, string? subject = null) =>
        c.ExecuteAsync(
            """
            INSERT INTO theft_case_audit (id, case_id, ordinal, at, actor_account_id, actor_role, action, detail, subject_account_id)
            VALUES (@id, @caseId, (SELECT COALESCE(MAX(ordinal), 0) + 1 FROM theft_case_audit WHERE case_id = @caseId), @at, @account, @role, @action, @detail,
                @subject)
            """,
            new
            {
                id = Guid.CreateVersion7(at).ToString(), caseId, at = at.ToUnixTimeMilliseconds(), account = actor.AccountId, role = actor.Role, action, detail, subject,
            }, t);

    internal static Task AddContactAsync(DbConnection c, DbTransaction t, string caseId, ContactAttempt a) =>
        c.ExecuteAsync(
            """
            INSERT INTO theft_contact_attempts (id, case_id, ordinal, at, operator_id, phone_index, outcome, note)
            VALUES (@Id, @caseId, (SELECT COALESCE(MAX(ordinal), 0) + 1 FROM theft_contact_attempts WHERE case_id = @caseId), @at, @OperatorId, @PhoneIndex,
                @Outcome, @Note)
            """,
            new { a.Id, caseId, at = a.At.ToUnixTimeMilliseconds(), a.OperatorId, a.PhoneIndex, a.Outcome, a.Note }, t);

    /// <summary>The latest case of the vehicle that the cloud asked the car to track and that is not closed.</summary>
    internal static Task<string?> RequestedIncidentAsync(DbConnection c, DbTransaction t, string vin) =>
        c.QueryFirstOrDefaultAsync<string?>(
            "SELECT incident_id FROM theft_cases WHERE vin = @vin AND source <> 'car' AND state <> 'closed' ORDER BY opened_at DESC LIMIT 1", new { vin }, t);

    internal static Task<string?> LastClosedIncidentAsync(DbConnection c, DbTransaction t, string vin) =>
        c.QueryFirstOrDefaultAsync<string?>(
            "SELECT incident_id FROM theft_cases WHERE vin = @vin AND state = 'closed' ORDER BY closed_at DESC LIMIT 1", new { vin }, t);

    internal static Task<long> CountNotClosedAsync(DbConnection c, DbTransaction t, string vin) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM theft_cases WHERE vin = @vin AND state <> 'closed'", new { vin }, t);

    // ---- settings (E1 switches, tracking interval) ----

    /// <summary>The car's settings: reason → switched off until; the tracking interval (0 = the car's default).</summary>
    internal static async Task<(Dictionary<string, DateTimeOffset> Suspended, int IntervalSeconds)> SettingsAsync(DbConnection c, DbTransaction? t, string vin)
    {
        var row = await c.QuerySingleOrDefaultAsync<(string Suspended, long Interval)?>(
            "SELECT suspended, tracking_interval_seconds FROM theft_settings WHERE vin = @vin", new { vin }, t);
        if (row is not { } r)
        {
            return ([], 0);
        }
        var suspended = (JsonSerializer.Deserialize<Dictionary<string, long>>(r.Suspended) ?? [])
            .ToDictionary(s => s.Key, s => StoredTime.Read(s.Value), StringComparer.Ordinal);
        return (suspended, (int)r.Interval);
    }

    public Task<(Dictionary<string, DateTimeOffset> Suspended, int IntervalSeconds)> SettingsAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(c => SettingsAsync(c, null, vin), cancellationToken);

    internal static Task SaveSettingsAsync(DbConnection c, DbTransaction t, string vin, IReadOnlyDictionary<string, DateTimeOffset> suspended, int intervalSeconds,
        DateTimeOffset now) =>
        c.ExecuteAsync(
            """
            INSERT INTO theft_settings (vin, suspended, tracking_interval_seconds, updated_at) VALUES (@vin, @suspended, @intervalSeconds, @now)
            ON CONFLICT (vin) DO UPDATE SET suspended = excluded.suspended, tracking_interval_seconds = excluded.tracking_interval_seconds,
                updated_at = excluded.updated_at
            """,
            new
            {
                vin, suspended = JsonSerializer.Serialize(suspended.ToDictionary(s => s.Key, s => s.Value.ToUnixTimeMilliseconds())), intervalSeconds,
                now = now.ToUnixTimeMilliseconds(),
            }, t);

    internal static Task DeleteSettingsAsync(DbConnection c, DbTransaction t, string vin) =>
        c.ExecuteAsync("DELETE FROM theft_settings WHERE vin = @vin", new { vin }, t);

    // ---- health checks (E4) ----

    internal static Task CheckedInAsync(DbConnection c, DbTransaction t, string vin, DateTimeOffset at) =>
        c.ExecuteAsync(
            """
            INSERT INTO theft_health_checks (vin, last_check_at) VALUES (@vin, @at)
            ON CONFLICT (vin) DO UPDATE SET last_check_at = CASE WHEN theft_health_checks.last_check_at IS NULL OR theft_health_checks.last_check_at < excluded.last_check_at
                THEN excluded.last_check_at ELSE theft_health_checks.last_check_at END
            """, new { vin, at = at.ToUnixTimeMilliseconds() }, t);

    /// <summary>Every car's health-check state, by VIN (for <see cref="HealthCheckJob"/>).</summary>
    public async Task<IReadOnlyDictionary<string, HealthCheckState>> HealthChecksAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string Vin, long? Last, long? Flagged)>("SELECT vin, last_check_at, flagged_at FROM theft_health_checks"),
            cancellationToken)).ToDictionary(r => r.Vin, r => new HealthCheckState(r.Vin, AtOrNull(r.Last), AtOrNull(r.Flagged)), StringComparer.Ordinal);

    /// <summary>E4: the cars whose missed check was flagged and which have not checked in since, those silent longest first.</summary>
    public async Task<IReadOnlyList<HealthCheckState>> MissedHealthChecksAsync(int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string Vin, long? Last, long? Flagged)>(
            """
            SELECT vin, last_check_at, flagged_at FROM theft_health_checks
            WHERE flagged_at IS NOT NULL AND (last_check_at IS NULL OR last_check_at < flagged_at)
            ORDER BY CASE WHEN last_check_at IS NULL THEN 0 ELSE 1 END, last_check_at, vin LIMIT @limit
            """, new { limit }), cancellationToken))
        .Select(r => new HealthCheckState(r.Vin, AtOrNull(r.Last), AtOrNull(r.Flagged))).ToList();

    public async Task<HealthCheckState?> HealthCheckAsync(string vin, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<(string Vin, long? Last, long? Flagged)?>(
            "SELECT vin, last_check_at, flagged_at FROM theft_health_checks WHERE vin = @vin", new { vin }), cancellationToken)) is { } r
            ? new HealthCheckState(r.Vin, AtOrNull(r.Last), AtOrNull(r.Flagged))
            : null;

    /// <summary>Flags a miss unless a check or another flag came in since the caller looked (compare-and-set).</summary>
    internal static async Task<bool> FlagMissedAsync(DbConnection c, DbTransaction t, string vin, HealthCheckState? seen, DateTimeOffset now)
    {
        if (seen is null)
        {
            return await c.ExecuteAsync(
                "INSERT INTO theft_health_checks (vin, last_check_at, flagged_at) VALUES (@vin, NULL, @now) ON CONFLICT (vin) DO NOTHING",
                new { vin, now = now.ToUnixTimeMilliseconds() }, t) == 1;
        }
        return await c.ExecuteAsync(
            """
            UPDATE theft_health_checks SET flagged_at = @now
            WHERE vin = @vin AND COALESCE(last_check_at, -1) = COALESCE(@last, -1) AND COALESCE(flagged_at, -1) = COALESCE(@flagged, -1)
            """, new { vin, now = now.ToUnixTimeMilliseconds(), last = seen.LastCheckAt?.ToUnixTimeMilliseconds(), flagged = seen.FlaggedAt?.ToUnixTimeMilliseconds() },
            t) == 1;
    }

    internal static Task DeleteHealthAsync(DbConnection c, DbTransaction t, string vin) =>
        c.ExecuteAsync("DELETE FROM theft_health_checks WHERE vin = @vin", new { vin }, t);

    // ---- mapping ----

    private static DateTimeOffset At(long ms) => StoredTime.Read(ms);

    private static DateTimeOffset? AtOrNull(long? ms) => ms is { } v ? At(v) : null;

    private static TheftCase Map(CaseRow r) => new(
        r.Id, r.Vin, r.IncidentId, r.Source, r.Reason, r.State, r.Outcome, (int)r.Urgency, r.OwnerAccountId, r.AssignedTo, r.AuthorityAccountId,
        r.AuthorityReference, r.Circumstances, (int)r.IdentityAttempts, AtOrNull(r.IdentityVerifiedAt), At(r.OpenedAt), AtOrNull(r.TheftModeStartedAt),
        AtOrNull(r.TheftModeEndedAt), AtOrNull(r.LastTrackedAt), r.LastLatitude, r.LastLongitude, r.LastSpeedMps, AtOrNull(r.ConfirmedAt), AtOrNull(r.ClosedAt));

    private static TrackingPoint Map(TrackRow r) => new(
        r.Seq, r.Phase, At(r.RecordedAt), At(r.ReceivedAt), r.Latitude, r.Longitude, r.AccuracyM,
        r.GsmCellId is { } cell ? new GsmCellInfo(r.GsmMcc ?? 0, r.GsmMnc ?? 0, r.GsmLac ?? 0, cell, r.GsmSignalDbm) : null,
        r.SpeedMps, r.IgnitionOn != 0, r.EngineRunning != 0, r.RemainingRangeM, r.OdometerM, r.BatteryVoltageV, r.FuelLevelPercent, r.GsmAntenna, r.GpsAntenna);

    private sealed class CaseRow
    {
        public string Id { get; init; } = "";
        public string Vin { get; init; } = "";
        public string IncidentId { get; init; } = "";
        public string Source { get; init; } = "";
        public string Reason { get; init; } = "";
        public string State { get; init; } = "";
        public string? Outcome { get; init; }
        public long Urgency { get; init; }
        public string? OwnerAccountId { get; init; }
        public string? AssignedTo { get; init; }
        public string? AuthorityAccountId { get; init; }
        public string? AuthorityReference { get; init; }
        public string? Circumstances { get; init; }
        public long IdentityAttempts { get; init; }
        public long? IdentityVerifiedAt { get; init; }
        public long OpenedAt { get; init; }
        public long? TheftModeStartedAt { get; init; }
        public long? TheftModeEndedAt { get; init; }
        public long? LastTrackedAt { get; init; }
        public double? LastLatitude { get; init; }
        public double? LastLongitude { get; init; }
        public double? LastSpeedMps { get; init; }
        public long? ConfirmedAt { get; init; }
        public long? ClosedAt { get; init; }
    }

    private sealed class TrackRow
    {
        public long Seq { get; init; }
        public string Phase { get; init; } = "";
        public long RecordedAt { get; init; }
        public long ReceivedAt { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public double? AccuracyM { get; init; }
        public long? GsmMcc { get; init; }
        public long? GsmMnc { get; init; }
        public long? GsmLac { get; init; }
        public long? GsmCellId { get; init; }
        public long? GsmSignalDbm { get; init; }
        public double SpeedMps { get; init; }
        public long IgnitionOn { get; init; }
        public long EngineRunning { get; init; }
        public double RemainingRangeM { get; init; }
        public double OdometerM { get; init; }
        public double? BatteryVoltageV { get; init; }
        public double? FuelLevelPercent { get; init; }
        public string GsmAntenna { get; init; } = "";
        public string GpsAntenna { get; init; } = "";
    }
}
