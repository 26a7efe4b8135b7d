using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Dealers;

/// <summary>One read of a car's data by a dealer, as the car's owner sees it.</summary>
/// <param name="What">health, faults or logs.</param>
internal sealed record DealerRead(string DealerId, string What, DateTimeOffset ReadAt);

/// <summary>The log of every dealer read of a car's data (F1): written before the data is handed out, read by the car's users.</summary>
internal sealed class DealerAccessLog(Database database, TimeProvider time)
{
    public const string Health = "health";
    public const string Faults = "faults";
    public const string Logs = "logs";

    public Task RecordAsync(string vin, string dealerId, string accountId, string what, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO dealer_access_log (id, vin, dealer_id, account_id, what, read_at) VALUES (@id, @vin, @dealerId, @accountId, @what, @at)",
            new { id = Guid.NewGuid().ToString("N"), vin, dealerId, accountId, what, at = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);

    /// <summary>The reads since <paramref name="since"/> (a new owner does not see the reads of before), newest first.</summary>
    public Task<IReadOnlyList<DealerRead>> OfCarAsync(string vin, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<DealerRead>>(async c => [.. (await c.QueryAsync<(string DealerId, string What, long ReadAt)>(
                "SELECT dealer_id, what, read_at FROM dealer_access_log WHERE vin = @vin AND read_at >= @since ORDER BY read_at DESC, id LIMIT @limit",
                new { vin, since = since.ToUnixTimeMilliseconds(), limit }))
            .Select(r => new DealerRead(r.DealerId, r.What, StoredTime.Read(r.ReadAt)))], cancellationToken);
}
