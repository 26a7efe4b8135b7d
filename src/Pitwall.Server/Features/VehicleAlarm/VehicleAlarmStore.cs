using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.VehicleAlarm;

public sealed record AlarmRecord(string Id, string Reason, DateTimeOffset OccurredAt, Fix? Position);

/// <summary>The alarm history; a car that changes hands takes none of it to the next owner.</summary>
public sealed class VehicleAlarmStore(Database database) : IVehicleAccessListener
{
    internal static Task AddAsync(DbConnection c, DbTransaction t, string vin, AlarmRecord alarm, DateTimeOffset receivedAt) =>
        c.ExecuteAsync(
            """
            INSERT INTO vehicle_alarms (id, vin, reason, occurred_at, latitude, longitude, accuracy_m, received_at)
            VALUES (@Id, @vin, @Reason, @occurredAt, @latitude, @longitude, @accuracy, @receivedAt)
            """,
            new
            {
                alarm.Id, vin, alarm.Reason, occurredAt = alarm.OccurredAt.ToUnixTimeMilliseconds(), latitude = alarm.Position?.Latitude,
                longitude = alarm.Position?.Longitude, accuracy = alarm.Position?.AccuracyM, receivedAt = receivedAt.ToUnixTimeMilliseconds(),
            }, t);

    public Task<IReadOnlyList<AlarmRecord>> HistoryAsync(string vin, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AlarmRecord>>(async c => (await c.QueryAsync<(string Id, string Reason, long OccurredAt, double? Latitude, double? Longitude, double? AccuracyM)>(
                "SELECT id, reason, occurred_at, latitude, longitude, accuracy_m FROM vehicle_alarms WHERE vin = @vin AND received_at >= @since ORDER BY occurred_at DESC, id LIMIT @limit",
                new { vin, limit, since = since.ToUnixTimeMilliseconds() }))
            .Select(r => new AlarmRecord(r.Id, r.Reason, StoredTime.Read(r.OccurredAt),
                Fix.Of(r.Latitude, r.Longitude, r.AccuracyM)))
            .ToList(), cancellationToken);

    public Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId) =>
        accountId is null ? connection.ExecuteAsync("DELETE FROM vehicle_alarms WHERE vin = @vin", new { vin }, transaction) : Task.CompletedTask;
}
