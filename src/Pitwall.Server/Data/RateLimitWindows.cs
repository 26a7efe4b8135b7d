using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Pitwall.Server.Data;

/// <summary>
/// Request counters in the database, so that a limit holds over every instance sharing it (issue 19: with counters in each
/// instance's memory, N instances behind a load balancer allowed N times the limit). A window opens with a partition's first
/// request and lasts <c>window</c>; each request takes one count in a single upsert that returns the count, so concurrent
/// requests on different instances never both get the last one. Partitions are stored as hashes: the table names no account
/// or car. The retention sweeper deletes windows that have ended.
/// </summary>
/// <remarks>
/// PostgreSQL rather than NATS key-value: NATS here carries only what may be lost (announcements, live events) and runs
/// without JetStream, which its key-value store needs; an outage of NATS must neither open nor close these limits; and a
/// request that reaches a limit already reads and writes the database (its token, the gate, the outbox), so the counter
/// costs one statement more, not a new dependency.
/// </remarks>
public sealed class RateLimitWindows(Database database, TimeProvider time)
{
    /// <summary>Takes one request of <paramref name="limit"/> in the partition's current window.</summary>
    /// <returns>Whether the request is within the limit, and when the window ends.</returns>
    public async Task<(bool Allowed, DateTimeOffset WindowEnds)> TakeAsync(
        string policy, string partition, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(policy + "\n" + partition)));
        var (used, endsMs) = await database.WriteAsync((c, t) => c.QuerySingleAsync<(long, long)>(
            """
            INSERT INTO rate_limit_windows (policy, partition_key, used, expires_at) VALUES (@policy, @key, 1, @ends)
            ON CONFLICT (policy, partition_key) DO UPDATE SET
                used = CASE WHEN rate_limit_windows.expires_at > @now THEN rate_limit_windows.used + 1 ELSE 1 END,
                expires_at = CASE WHEN rate_limit_windows.expires_at > @now THEN rate_limit_windows.expires_at ELSE @ends END
            RETURNING used, expires_at
            """,
            new { policy, key, now = now.ToUnixTimeMilliseconds(), ends = (now + window).ToUnixTimeMilliseconds() }, t), cancellationToken);
        return (used <= limit, DateTimeOffset.FromUnixTimeMilliseconds(endsMs));
    }
}
