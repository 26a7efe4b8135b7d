using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>The map version a car reported for a region.</summary>
internal sealed record CarMapVersion(string Region, int Version, DateTimeOffset ReportedAt);

/// <summary>One documented map update of a car: what was offered, and what the car reported.</summary>
internal sealed record MapDelivery(
    long Id, string Region, int FromVersion, int ToVersion, int Packages, long Bytes, DateTimeOffset OfferedAt, string? Result, string? Detail, DateTimeOffset? ReportedAt);

/// <summary>SQL for the cars' map versions and the documentation of their map updates (<c>map_car_versions</c>, <c>map_deliveries</c>).</summary>
internal sealed class MapUpdateStore(Database database, TimeProvider time)
{
    /// <summary>The version a car has of a region, as its poll says, in the ingest batch's transaction.</summary>
    public static Task CarPolledAsync(DbConnection connection, DbTransaction transaction, string vin, string region, int version, DateTimeOffset at) =>
        connection.ExecuteAsync(
            """
            INSERT INTO map_car_versions (vin, region, version, reported_at) VALUES (@vin, @region, @version, @at)
            ON CONFLICT (vin, region) DO UPDATE SET version = excluded.version, reported_at = excluded.reported_at
            """, new { vin, region, version, at = at.ToUnixTimeMilliseconds() }, transaction);

    /// <summary>What the car made of an offer: the newest open delivery of that step is closed with the result, and on success the
    /// car's version moves on. In the ingest batch's transaction.</summary>
    public static async Task CarReportedAsync(DbConnection connection, DbTransaction transaction, string vin, string region, int from, int to,
        bool success, string detail, DateTimeOffset at)
    {
        var id = await connection.QuerySingleOrDefaultAsync<long?>(
            """
            SELECT id FROM map_deliveries WHERE vin = @vin AND region = @region AND from_version = @from AND result IS NULL
            ORDER BY offered_at DESC, id DESC LIMIT 1
            """, new { vin, region, from }, transaction);
        if (id is null)
        {
            return; // a resend of what is documented already, or a report of nothing offered
        }
        await connection.ExecuteAsync(
            "UPDATE map_deliveries SET result = @result, detail = @detail, reported_at = @at WHERE id = @id",
            new { id, result = success ? "installed" : "failed", detail = detail.Length == 0 ? null : detail, at = at.ToUnixTimeMilliseconds() }, transaction);
        if (success)
        {
            await CarPolledAsync(connection, transaction, vin, region, to, at);
        }
    }

    /// <summary>Documents an offer to the car.</summary>
    public Task OfferedAsync(string vin, string region, int from, int to, int packages, long bytes, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO map_deliveries (vin, region, from_version, to_version, packages, bytes, offered_at)
            VALUES (@vin, @region, @from, @to, @packages, @bytes, @now)
            """, new { vin, region, from, to, packages, bytes, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);

    public async Task<IReadOnlyList<CarMapVersion>> VersionsAsync(string vin, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<(string Region, long Version, long ReportedAt)>(
            "SELECT region, version, reported_at FROM map_car_versions WHERE vin = @vin ORDER BY region", new { vin }), cancellationToken))
            .Select(r => new CarMapVersion(r.Region, (int)r.Version, StoredTime.Read(r.ReportedAt)))];

    /// <summary>The car's documented map updates since <paramref name="since"/> (what the asking user may see), newest first.</summary>
    public async Task<IReadOnlyList<MapDelivery>> DeliveriesAsync(string vin, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<DeliveryRow>(
            """
            SELECT id AS Id, region AS Region, from_version AS FromVersion, to_version AS ToVersion, packages AS Packages, bytes AS Bytes,
                   offered_at AS OfferedAt, result AS Result, detail AS Detail, reported_at AS ReportedAt FROM map_deliveries
            WHERE vin = @vin AND offered_at >= @since ORDER BY offered_at DESC, id DESC LIMIT @limit
            """, new { vin, since = since.ToUnixTimeMilliseconds(), limit }), cancellationToken))
            .Select(r => new MapDelivery(r.Id, r.Region, (int)r.FromVersion, (int)r.ToVersion, (int)r.Packages, r.Bytes, StoredTime.Read(r.OfferedAt),
                r.Result, r.Detail, r.ReportedAt is { } at ? StoredTime.Read(at) : null))];

    private sealed class DeliveryRow
    {
        public long Id { get; init; }
        public string Region { get; init; } = "";
        public long FromVersion { get; init; }
        public long ToVersion { get; init; }
        public long Packages { get; init; }
        public long Bytes { get; init; }
        public long OfferedAt { get; init; }
        public string? Result { get; init; }
        public string? Detail { get; init; }
        public long? ReportedAt { get; init; }
    }
}
