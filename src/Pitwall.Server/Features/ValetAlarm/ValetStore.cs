using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.ValetAlarm;

public sealed record ValetSession(
    string Id, double MaxSpeedMps, double RadiusM, DateTimeOffset RequestedAt, long ConfigSeq, DateTimeOffset? StartedAt,
    Fix? ParkedAt, DateTimeOffset? EndRequestedAt, DateTimeOffset? EndedAt);

public sealed record ValetEventRecord(string Id, string ValetId, string Kind, DateTimeOffset OccurredAt, Fix? Position, double? SpeedMps);

/// <summary>The SQL of the valet alarm; a car that changes hands takes none of it along.</summary>
public sealed class ValetStore(Database database) : IVehicleAccessListener
{
    private const string SessionColumns =
        "id AS Id, max_speed_mps AS MaxSpeedMps, radius_m AS RadiusM, requested_at AS RequestedAt, config_seq AS ConfigSeq, started_at AS StartedAt, " +
        "parked_latitude AS ParkedLatitude, parked_longitude AS ParkedLongitude, end_requested_at AS EndRequestedAt, ended_at AS EndedAt";

    internal static async Task<ValetSession?> OpenAsync(DbConnection c, DbTransaction? t, string vin) =>
        (await c.QueryAsync<SessionRow>($"SELECT {SessionColumns} FROM valet_sessions WHERE vin = @vin AND end_requested_at IS NULL", new { vin }, t))
        .Select(r => r.ToSession()).SingleOrDefault();

    internal static Task InsertAsync(DbConnection c, DbTransaction t, string vin, string accountId, ValetSession s) =>
        c.ExecuteAsync(
            """
            INSERT INTO valet_sessions (id, vin, requested_by, max_speed_mps, radius_m, requested_at, config_seq)
            VALUES (@Id, @vin, @accountId, @MaxSpeedMps, @RadiusM, @at, @ConfigSeq)
            """, new { s.Id, vin, accountId, s.MaxSpeedMps, s.RadiusM, at = s.RequestedAt.ToUnixTimeMilliseconds(), s.ConfigSeq }, t);

    internal static Task SetLimitsAsync(DbConnection c, DbTransaction t, string id, double maxSpeedMps, double radiusM, long configSeq) =>
        c.ExecuteAsync("UPDATE valet_sessions SET max_speed_mps = @maxSpeedMps, radius_m = @radiusM, config_seq = @configSeq WHERE id = @id",
            new { id, maxSpeedMps, radiusM, configSeq }, t);

    internal static Task RequestEndAsync(DbConnection c, DbTransaction t, string id, DateTimeOffset at, long configSeq) =>
        c.ExecuteAsync("UPDATE valet_sessions SET end_requested_at = @at, config_seq = @configSeq WHERE id = @id",
            new { id, at = at.ToUnixTimeMilliseconds(), configSeq }, t);

    internal static async Task<bool> ExistsAsync(DbConnection c, DbTransaction t, string vin, string id) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM valet_sessions WHERE vin = @vin AND id = @id", new { vin, id }, t) > 0;

    internal static Task StartedAsync(DbConnection c, DbTransaction t, string id, DateTimeOffset at, Fix? parkedAt) =>
        c.ExecuteAsync(
            "UPDATE valet_sessions SET started_at = @at, parked_latitude = @lat, parked_longitude = @lon WHERE id = @id AND started_at IS NULL",
            new { id, at = at.ToUnixTimeMilliseconds(), lat = parkedAt?.Latitude, lon = parkedAt?.Longitude }, t);

    /// <summary>The car ended it (switched off from the app, or in the car).</summary>
    internal static Task EndedAsync(DbConnection c, DbTransaction t, string id, DateTimeOffset at) =>
        c.ExecuteAsync(
            "UPDATE valet_sessions SET ended_at = @at, end_requested_at = COALESCE(end_requested_at, @at) WHERE id = @id AND ended_at IS NULL",
            new { id, at = at.ToUnixTimeMilliseconds() }, t);

    internal static Task AddEventAsync(DbConnection c, DbTransaction t, string vin, ValetEventRecord e, DateTimeOffset receivedAt) =>
        c.ExecuteAsync(
            """
            INSERT INTO valet_events (id, vin, valet_id, kind, occurred_at, latitude, longitude, accuracy_m, speed_mps, received_at)
            VALUES (@Id, @vin, @ValetId, @Kind, @occurredAt, @lat, @lon, @accuracy, @SpeedMps, @receivedAt)
            """,
            new
            {
                e.Id, vin, e.ValetId, e.Kind, occurredAt = e.OccurredAt.ToUnixTimeMilliseconds(), lat = e.Position?.Latitude, lon = e.Position?.Longitude,
                accuracy = e.Position?.AccuracyM, e.SpeedMps, receivedAt = receivedAt.ToUnixTimeMilliseconds(),
            }, t);

    /// <summary>The open session, or else the latest one.</summary>
    public Task<ValetSession?> CurrentAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<SessionRow>(
                $"SELECT {SessionColumns} FROM valet_sessions WHERE vin = @vin ORDER BY end_requested_at IS NULL DESC, requested_at DESC LIMIT 1", new { vin }))
            .Select(r => r.ToSession()).SingleOrDefault(), cancellationToken);

    public Task<IReadOnlyList<ValetEventRecord>> EventsAsync(string vin, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ValetEventRecord>>(async c => (await c.QueryAsync<(string Id, string ValetId, string Kind, long OccurredAt, double? Latitude, double? Longitude, double? AccuracyM, double? SpeedMps)>(
                """
                SELECT id, valet_id, kind, occurred_at, latitude, longitude, accuracy_m, speed_mps FROM valet_events
                WHERE vin = @vin AND received_at >= @since ORDER BY occurred_at DESC, id LIMIT @limit
                """, new { vin, since = since.ToUnixTimeMilliseconds(), limit }))
            .Select(r => new ValetEventRecord(r.Id, r.ValetId, r.Kind, StoredTime.Read(r.OccurredAt),
                Fix.Of(r.Latitude, r.Longitude, r.AccuracyM), r.SpeedMps))
            .ToList(), cancellationToken);

    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        if (accountId is null)
        {
            await connection.ExecuteAsync("DELETE FROM valet_events WHERE vin = @vin", new { vin }, transaction);
            await connection.ExecuteAsync("DELETE FROM valet_sessions WHERE vin = @vin", new { vin }, transaction);
        }
    }

    private sealed class SessionRow
    {
        public string Id { get; init; } = "";
        public double MaxSpeedMps { get; init; }
        public double RadiusM { get; init; }
        public long RequestedAt { get; init; }
        public long ConfigSeq { get; init; }
        public long? StartedAt { get; init; }
        public double? ParkedLatitude { get; init; }
        public double? ParkedLongitude { get; init; }
        public long? EndRequestedAt { get; init; }
        public long? EndedAt { get; init; }

        private static DateTimeOffset? At(long? ms) => ms is { } v ? StoredTime.Read(v) : null;

        public ValetSession ToSession() => new(Id, MaxSpeedMps, RadiusM, StoredTime.Read(RequestedAt), ConfigSeq, At(StartedAt),
            Fix.Of(ParkedLatitude, ParkedLongitude, null), At(EndRequestedAt), At(EndedAt));
    }
}
