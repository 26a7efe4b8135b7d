using Dapper;

namespace Pitwall.Server.Gateway;

/// <summary>The instances' heartbeats (<c>cluster_instances</c>) and what follows from them for the cars' presence records.</summary>
internal sealed class InstanceHeartbeats(Pitwall.Server.Data.Database database)
{
    /// <summary>Records that the instance is alive; false when it had no record (first beat, or taken for dead meanwhile).</summary>
    /// <param name="now">Read when the write runs, not when it was queued: a busy writer must not make the beat look old.</param>
    public Task<bool> BeatAsync(string instance, Func<DateTimeOffset> now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var at = now().ToUnixTimeMilliseconds();
            if (await c.ExecuteAsync("UPDATE cluster_instances SET seen_at = @at WHERE instance_id = @instance", new { instance, at }, t) == 1)
            {
                return true;
            }
            await c.ExecuteAsync(
                "INSERT INTO cluster_instances (instance_id, started_at, seen_at) VALUES (@instance, @at, @at) ON CONFLICT (instance_id) DO UPDATE SET seen_at = excluded.seen_at",
                new { instance, at }, t);
            return false;
        }, cancellationToken);

    /// <summary>An instance taken for dead while it was alive (a long pause) records its live sessions as its own again,
    /// unless a newer login of the car replaced them meanwhile.</summary>
    public Task ReclaimAsync(string instance, IReadOnlyList<(string Vin, long Epoch)> sessions, CancellationToken cancellationToken) =>
        sessions.Count == 0
            ? Task.CompletedTask
            : database.WriteAsync((c, t) => c.ExecuteAsync(
                "UPDATE vehicle_link SET session_instance = @instance WHERE vin = @vin AND session_epoch = @epoch AND session_instance IS NULL",
                sessions.Select(s => new { instance, vin = s.Vin, epoch = s.Epoch }), t), cancellationToken);

    /// <summary>Clears the presence records of the other instances silent since before <paramref name="cutoff"/>, and forgets them.</summary>
    /// <param name="cutoff">Read when the write runs.</param>
    /// <returns>The dead instances and the cars each held.</returns>
    public Task<IReadOnlyList<(string Instance, IReadOnlyList<string> Cars)>> ReapAsync(string self, Func<DateTimeOffset> cutoff, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<(string, IReadOnlyList<string>)>>(async (c, t) =>
        {
            var dead = (await c.QueryAsync<string>("SELECT instance_id FROM cluster_instances WHERE seen_at < @cutoff AND instance_id <> @self",
                new { cutoff = cutoff().ToUnixTimeMilliseconds(), self }, t)).ToList();
            var reaped = new List<(string, IReadOnlyList<string>)>();
            foreach (var instance in dead)
            {
                var cars = (await c.QueryAsync<string>(
                    "UPDATE vehicle_link SET session_instance = NULL WHERE session_instance = @instance RETURNING vin", new { instance }, t)).ToList();
                await c.ExecuteAsync("DELETE FROM cluster_instances WHERE instance_id = @instance", new { instance }, t);
                reaped.Add((instance, cars));
            }
            return reaped;
        }, cancellationToken);

    /// <summary>The instance stops: it is no longer anybody's holder (its sessions' logouts clear their records too).</summary>
    public Task LeaveAsync(string instance, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM cluster_instances WHERE instance_id = @instance", new { instance }, t), cancellationToken);

    /// <summary>Of <paramref name="vins"/>, those held by an instance whose heartbeat is at or after <paramref name="cutoff"/>.</summary>
    public Task<IReadOnlySet<string>> HeldByLiveInstancesAsync(IReadOnlyCollection<string> vins, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        vins.Count == 0
            ? Task.FromResult<IReadOnlySet<string>>(new HashSet<string>())
            : database.ReadAsync<IReadOnlySet<string>>(async c => (await c.QueryAsync<string>(
                $"""
                SELECT l.vin FROM vehicle_link l JOIN cluster_instances i ON i.instance_id = l.session_instance
                WHERE {(database.Dialect == Pitwall.Server.Data.SqlDialect.Postgres ? "l.vin = ANY(@vins)" : "l.vin IN @vins")} AND i.seen_at >= @cutoff
                """, new { vins = vins.ToArray(), cutoff = cutoff.ToUnixTimeMilliseconds() })).ToHashSet(StringComparer.Ordinal), cancellationToken);
}
