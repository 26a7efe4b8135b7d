using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Trips;

/// <summary>Which figures: the drive that ended at the last engine stop, or everything since the last reset.</summary>
internal enum TripTerm
{
    ShortTerm,
    LongTerm,
}

/// <summary>One term's figures as the car computed them (SI units, consumption per 100 km).</summary>
internal sealed record StoredTrip(
    DateTimeOffset StartedAt, long DurationSeconds, double DistanceMetres, double AverageSpeedMetresPerSecond,
    double? FuelLitresPer100Km, double? ElectricKwhPer100Km, DateTimeOffset RecordedAt);

/// <summary>
/// SQL for <c>vehicle_trips</c>: per car the latest short-term and long-term figures (C3: kept until the next ones, no
/// history). A row is replaced only by figures the car computed at the same time or later.
/// </summary>
public sealed class TripStore(Database database)
{
    internal Task<IReadOnlyDictionary<TripTerm, StoredTrip>> FindAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(c => FindAsync(c, null, vin), cancellationToken);

    internal static async Task<IReadOnlyDictionary<TripTerm, StoredTrip>> FindAsync(DbConnection c, DbTransaction? t, string vin) =>
        (await c.QueryAsync<Row>(
            """
            SELECT term AS Term, started_at AS StartedAt, duration_s AS DurationSeconds, distance_m AS DistanceMetres,
                   average_speed_mps AS AverageSpeed, fuel_l_per_100km AS Fuel, electric_kwh_per_100km AS Electric, recorded_at AS RecordedAt
            FROM vehicle_trips WHERE vin = @vin
            """, new { vin }, t))
        .ToDictionary(
            r => TermOf(r.Term),
            r => new StoredTrip(StoredTime.Read(r.StartedAt), r.DurationSeconds, r.DistanceMetres, r.AverageSpeed,
                r.Fuel, r.Electric, StoredTime.Read(r.RecordedAt)));

    /// <summary>Overwrites the term's figures unless the stored ones were computed later (a late resend never wins).</summary>
    internal static Task SaveAsync(DbConnection c, DbTransaction t, string vin, TripTerm term, StoredTrip figures, DateTimeOffset now) =>
        c.ExecuteAsync(
            """
            INSERT INTO vehicle_trips (vin, term, started_at, duration_s, distance_m, average_speed_mps, fuel_l_per_100km, electric_kwh_per_100km,
                                       recorded_at, updated_at)
            VALUES (@vin, @term, @startedAt, @duration, @distance, @speed, @fuel, @electric, @recordedAt, @now)
            ON CONFLICT (vin, term) DO UPDATE SET started_at = excluded.started_at, duration_s = excluded.duration_s,
                distance_m = excluded.distance_m, average_speed_mps = excluded.average_speed_mps, fuel_l_per_100km = excluded.fuel_l_per_100km,
                electric_kwh_per_100km = excluded.electric_kwh_per_100km, recorded_at = excluded.recorded_at, updated_at = excluded.updated_at
            WHERE vehicle_trips.recorded_at <= excluded.recorded_at
            """,
            new
            {
                vin, term = NameOf(term), startedAt = figures.StartedAt.ToUnixTimeMilliseconds(), duration = figures.DurationSeconds,
                distance = figures.DistanceMetres, speed = figures.AverageSpeedMetresPerSecond, fuel = figures.FuelLitresPer100Km,
                electric = figures.ElectricKwhPer100Km, recordedAt = figures.RecordedAt.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds(),
            }, t);

    internal static Task DeleteAsync(DbConnection c, DbTransaction t, string vin) =>
        c.ExecuteAsync("DELETE FROM vehicle_trips WHERE vin = @vin", new { vin }, t);

    private static string NameOf(TripTerm term) => term == TripTerm.ShortTerm ? "short" : "long";

    private static TripTerm TermOf(string name) => name == "short" ? TripTerm.ShortTerm : TripTerm.LongTerm;

    private sealed class Row
    {
        public string Term { get; init; } = "";
        public long StartedAt { get; init; }
        public long DurationSeconds { get; init; }
        public double DistanceMetres { get; init; }
        public double AverageSpeed { get; init; }
        public double? Fuel { get; init; }
        public double? Electric { get; init; }
        public long RecordedAt { get; init; }
    }
}
