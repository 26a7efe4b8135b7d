using Dapper;

namespace Pitwall.Server.Data;

/// <summary>
/// A named lease in the database, so that a job runs on one instance at a time when several share a database.
/// A holder renews by acquiring again before the lease expires; a crashed holder's lease simply runs out.
/// </summary>
public sealed class Leases(Database database, TimeProvider time)
{
    /// <summary>Who this process is, as a lease holder.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public Task<bool> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken) =>
        TryAcquireAsync(name, Holder, duration, cancellationToken);

    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            """
            INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
            """,
            new { name, holder, expires = (now + duration).ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() },
            transaction), cancellationToken);
        return changed == 1;
    }

    public Task ReleaseAsync(string name, CancellationToken cancellationToken) => ReleaseAsync(name, Holder, cancellationToken);

    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder }, transaction), cancellationToken);
}
