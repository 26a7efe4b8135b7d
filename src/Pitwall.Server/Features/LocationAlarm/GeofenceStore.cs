using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.LocationAlarm;

/// <summary>An area as stored.</summary>
/// <param name="SentSeq">The cloud seq of the configuration frame that first carried this version of the area.</param>
internal sealed record Geofence(
    string Id, string Vin, string Name, double Latitude, double Longitude, double RadiusMetres, string Notify, ActiveHours? ActiveHours,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long SentSeq)
{
    /// <summary>Whether the car would watch this area differently from <paramref name="other"/> (name and notification are the platform's).</summary>
    public bool SameForCar(Geofence other) =>
        Latitude.Equals(other.Latitude) && Longitude.Equals(other.Longitude) && RadiusMetres.Equals(other.RadiusMetres);
}

/// <summary>A crossing the car reported, as stored in the history.</summary>
internal sealed record GeofenceEventRecord(
    string Id, string Vin, long CarSeq, string GeofenceId, string Name, string Transition, double Latitude, double Longitude, double AccuracyMetres,
    DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

/// <summary>SQL for <c>geofences</c> and <c>geofence_events</c>.</summary>
public sealed class GeofenceStore(Database database)
{
    private const string Columns =
        """
        id AS Id, vin AS Vin, name AS Name, latitude AS Latitude, longitude AS Longitude, radius_m AS RadiusMetres, notify AS Notify,
        active_days AS ActiveDays, active_from AS ActiveFrom, active_to AS ActiveTo, time_zone AS TimeZone,
        created_at AS CreatedAt, updated_at AS UpdatedAt, sent_seq AS SentSeq
        """;

    private const string EventColumns =
        """
        id AS Id, vin AS Vin, car_seq AS CarSeq, geofence_id AS GeofenceId, name AS Name, transition AS Transition, latitude AS Latitude,
        longitude AS Longitude, accuracy_m AS AccuracyMetres, occurred_at AS OccurredAt, recorded_at AS RecordedAt
        """;

    internal Task<IReadOnlyList<Geofence>> ListAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(c => ListAsync(c, null, vin), cancellationToken);

    internal static async Task<IReadOnlyList<Geofence>> ListAsync(DbConnection c, DbTransaction? t, string vin) =>
        (await c.QueryAsync<Row>($"SELECT {Columns} FROM geofences WHERE vin = @vin ORDER BY created_at, id", new { vin }, t))
        .Select(r => r.ToGeofence()).ToList();

    internal static async Task<Geofence?> FindAsync(DbConnection c, DbTransaction t, string vin, string id) =>
        (await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM geofences WHERE vin = @vin AND id = @id", new { vin, id }, t))?.ToGeofence();

    /// <summary>Serialises changes to one car's areas across instances (PostgreSQL; SQLite has a single writer anyway): a
    /// transaction-scoped advisory lock on the car's areas, so this feature locks nothing of another feature's tables.</summary>
    internal static Task LockVehicleAsync(DbConnection c, DbTransaction t, SqlDialect dialect, string vin) =>
        dialect == SqlDialect.Postgres
            ? c.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"geofences:{vin}" }, t)
            : Task.CompletedTask;

    internal static Task InsertAsync(DbConnection c, DbTransaction t, Geofence g) =>
        c.ExecuteAsync(
            """
            INSERT INTO geofences (id, vin, name, latitude, longitude, radius_m, notify, active_days, active_from, active_to, time_zone,
                                   created_at, updated_at, sent_seq)
            VALUES (@Id, @Vin, @Name, @Latitude, @Longitude, @RadiusMetres, @Notify, @ActiveDays, @ActiveFrom, @ActiveTo, @TimeZone,
                    @CreatedAt, @UpdatedAt, @SentSeq)
            """, Row.From(g), t);

    internal static Task UpdateAsync(DbConnection c, DbTransaction t, Geofence g) =>
        c.ExecuteAsync(
            """
            UPDATE geofences SET name = @Name, latitude = @Latitude, longitude = @Longitude, radius_m = @RadiusMetres, notify = @Notify,
                   active_days = @ActiveDays, active_from = @ActiveFrom, active_to = @ActiveTo, time_zone = @TimeZone,
                   updated_at = @UpdatedAt, sent_seq = @SentSeq
            WHERE vin = @Vin AND id = @Id
            """, Row.From(g), t);

    internal static async Task<bool> DeleteAsync(DbConnection c, DbTransaction t, string vin, string id) =>
        await c.ExecuteAsync("DELETE FROM geofences WHERE vin = @vin AND id = @id", new { vin, id }, t) > 0;

    /// <returns>False when the car message was stored before (a resend).</returns>
    internal static async Task<bool> InsertEventAsync(DbConnection c, DbTransaction t, GeofenceEventRecord e) =>
        await c.ExecuteAsync(
            """
            INSERT INTO geofence_events (id, vin, car_seq, geofence_id, name, transition, latitude, longitude, accuracy_m, occurred_at, recorded_at)
            VALUES (@Id, @Vin, @CarSeq, @GeofenceId, @Name, @Transition, @Latitude, @Longitude, @AccuracyMetres, @occurred, @recorded)
            ON CONFLICT (vin, car_seq) DO NOTHING
            """,
            new
            {
                e.Id, e.Vin, e.CarSeq, e.GeofenceId, e.Name, e.Transition, e.Latitude, e.Longitude, e.AccuracyMetres,
                occurred = e.OccurredAt.ToUnixTimeMilliseconds(), recorded = e.RecordedAt.ToUnixTimeMilliseconds(),
            }, t) > 0;

    /// <summary>The history, newest first: events stored since <paramref name="since"/>, older than the event <paramref name="before"/> when given.</summary>
    /// <returns>At most <paramref name="limit"/> events, and whether older ones exist.</returns>
    internal Task<(IReadOnlyList<GeofenceEventRecord> Events, bool More)> EventsAsync(
        string vin, DateTimeOffset since, string? before, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<(IReadOnlyList<GeofenceEventRecord>, bool)>(async c =>
        {
            // Ties in the car's time go by the car's own order of its messages.
            var cursor = before is null
                ? null
                : (await c.QueryAsync<(long OccurredAt, long CarSeq)>(
                    "SELECT occurred_at, car_seq FROM geofence_events WHERE vin = @vin AND id = @before", new { vin, before }))
                    .Select(x => ((long OccurredAt, long CarSeq)?)x).FirstOrDefault();
            if (before is not null && cursor is null)
            {
                return ([], false); // an unknown cursor: nothing older to show
            }
            var page = cursor is null ? "" : "AND (occurred_at < @at OR (occurred_at = @at AND car_seq < @seq))";
            var rows = (await c.QueryAsync<EventRow>(
                $"""
                 SELECT {EventColumns} FROM geofence_events
                 WHERE vin = @vin AND recorded_at >= @since {page}
                 ORDER BY occurred_at DESC, car_seq DESC LIMIT @take
                 """, new { vin, since = since.ToUnixTimeMilliseconds(), at = cursor?.OccurredAt, seq = cursor?.CarSeq, take = limit + 1 })).ToList();
            return (rows.Take(limit).Select(r => r.ToRecord()).ToList(), rows.Count > limit);
        }, cancellationToken);

    /// <summary>Drops the car's areas and history (the car changed hands); returns whether it had any areas.</summary>
    internal static async Task<bool> DeleteVehicleAsync(DbConnection c, DbTransaction t, string vin)
    {
        await c.ExecuteAsync("DELETE FROM geofence_events WHERE vin = @vin", new { vin }, t);
        return await c.ExecuteAsync("DELETE FROM geofences WHERE vin = @vin", new { vin }, t) > 0;
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Vin { get; init; } = "";
        public string Name { get; init; } = "";
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public double RadiusMetres { get; init; }
        public string Notify { get; init; } = "";
        public string? ActiveDays { get; init; }
        public string? ActiveFrom { get; init; }
        public string? ActiveTo { get; init; }
        public string? TimeZone { get; init; }
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }
        public long SentSeq { get; init; }

        public Geofence ToGeofence() => new(
            Id, Vin, Name, Latitude, Longitude, RadiusMetres, Notify,
            ActiveDays is null || ActiveFrom is null || ActiveTo is null || TimeZone is null
                ? null
                : new ActiveHours(ActiveDays.Split(','), GeofenceRules.Time(ActiveFrom)!.Value, GeofenceRules.Time(ActiveTo)!.Value, TimeZone),
            StoredTime.Read(CreatedAt), StoredTime.Read(UpdatedAt), SentSeq);

        public static Row From(Geofence g) => new()
        {
            Id = g.Id, Vin = g.Vin, Name = g.Name, Latitude = g.Latitude, Longitude = g.Longitude, RadiusMetres = g.RadiusMetres, Notify = g.Notify,
            ActiveDays = g.ActiveHours is { } h ? string.Join(',', h.Days) : null,
            ActiveFrom = g.ActiveHours?.From.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            ActiveTo = g.ActiveHours?.To.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            TimeZone = g.ActiveHours?.TimeZone,
            CreatedAt = g.CreatedAt.ToUnixTimeMilliseconds(), UpdatedAt = g.UpdatedAt.ToUnixTimeMilliseconds(), SentSeq = g.SentSeq,
        };
    }

    private sealed class EventRow
    {
        public string Id { get; init; } = "";
        public string Vin { get; init; } = "";
        public long CarSeq { get; init; }
        public string GeofenceId { get; init; } = "";
        public string Name { get; init; } = "";
        public string Transition { get; init; } = "";
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public double AccuracyMetres { get; init; }
        public long OccurredAt { get; init; }
        public long RecordedAt { get; init; }

        public GeofenceEventRecord ToRecord() => new(
            Id, Vin, CarSeq, GeofenceId, Name, Transition, Latitude, Longitude, AccuracyMetres,
            StoredTime.Read(OccurredAt), StoredTime.Read(RecordedAt));
    }
}
