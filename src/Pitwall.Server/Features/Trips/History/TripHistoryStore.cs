using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Trips.History;

/// <summary>One point of the charge-level line: when the car measured it, and the state of charge in %.</summary>
internal sealed record ChargeLevel(DateTimeOffset At, double Percent);

/// <summary>SQL for <c>vehicle_trip_history</c> (one row per drive) and <c>vehicle_charge_history</c> (the charge level over time).</summary>
public sealed class TripHistoryStore(Database database)
{
    /// <summary>Each drive is stored once, by its engine stop: a resend of the same figures changes nothing.</summary>
    internal static Task SaveDriveAsync(DbConnection c, DbTransaction t, string vin, StoredTrip drive) =>
        c.ExecuteAsync(
            """
            INSERT INTO vehicle_trip_history (vin, ended_at, started_at, duration_s, distance_m, average_speed_mps, fuel_l_per_100km, electric_kwh_per_100km)
            VALUES (@vin, @endedAt, @startedAt, @duration, @distance, @speed, @fuel, @electric)
            ON CONFLICT (vin, ended_at) DO NOTHING
            """,
            new
            {
                vin, endedAt = drive.RecordedAt.ToUnixTimeMilliseconds(), startedAt = drive.StartedAt.ToUnixTimeMilliseconds(), duration = drive.DurationSeconds,
                distance = drive.DistanceMetres, speed = drive.AverageSpeedMetresPerSecond, fuel = drive.FuelLitresPer100Km, electric = drive.ElectricKwhPer100Km,
            }, t);

    internal static Task SaveChargeLevelAsync(DbConnection c, DbTransaction t, string vin, ChargeLevel level) =>
        c.ExecuteAsync(
            "INSERT INTO vehicle_charge_history (vin, recorded_at, state_of_charge) VALUES (@vin, @at, @percent) ON CONFLICT (vin, recorded_at) DO NOTHING",
            new { vin, at = level.At.ToUnixTimeMilliseconds(), percent = level.Percent }, t);

    internal static async Task DeleteAsync(DbConnection c, DbTransaction t, string vin)
    {
        await c.ExecuteAsync("DELETE FROM vehicle_trip_history WHERE vin = @vin", new { vin }, t);
        await c.ExecuteAsync("DELETE FROM vehicle_charge_history WHERE vin = @vin", new { vin }, t);
    }

    /// <summary>The drives that ended and the charge levels measured from <paramref name="since"/> on, oldest first.</summary>
    internal Task<(IReadOnlyList<StoredTrip> Drives, IReadOnlyList<ChargeLevel> Levels)> ReadAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var from = since.ToUnixTimeMilliseconds();
            var drives = await c.QueryAsync<DriveRow>(
                """
                SELECT ended_at AS EndedAt, started_at AS StartedAt, duration_s AS DurationSeconds, distance_m AS DistanceMetres,
                       average_speed_mps AS AverageSpeed, fuel_l_per_100km AS Fuel, electric_kwh_per_100km AS Electric
                FROM vehicle_trip_history WHERE vin = @vin AND ended_at >= @from ORDER BY ended_at
                """, new { vin, from });
            var levels = await c.QueryAsync<(long At, double Percent)>(
                "SELECT recorded_at, state_of_charge FROM vehicle_charge_history WHERE vin = @vin AND recorded_at >= @from ORDER BY recorded_at",
                new { vin, from });
            return ((IReadOnlyList<StoredTrip>)[.. drives.Select(d => d.ToTrip())],
                (IReadOnlyList<ChargeLevel>)[.. levels.Select(l => new ChargeLevel(StoredTime.Read(l.At), l.Percent))]);
        }, cancellationToken);

    private sealed class DriveRow
    {
        public long EndedAt { get; init; }
        public long StartedAt { get; init; }
        public long DurationSeconds { get; init; }
        public double DistanceMetres { get; init; }
        public double AverageSpeed { get; init; }
        public double? Fuel { get; init; }
        public double? Electric { get; init; }

        public StoredTrip ToTrip() => new(StoredTime.Read(StartedAt), DurationSeconds, DistanceMetres, AverageSpeed, Fuel, Electric, StoredTime.Read(EndedAt));
    }
}
