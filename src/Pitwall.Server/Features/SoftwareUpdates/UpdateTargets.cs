using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// Something that installs updates (hawkBit's target, addressed by its controller id): a car, or one of its control units, or
/// a device that is no registered car (<see cref="Vin"/> null). <see cref="Attributes"/> are what it reported as configData.
/// </summary>
internal sealed record UpdateTarget(
    string ControllerId, string? Vin, string? HardwareVariant, IReadOnlyDictionary<string, string> Attributes, bool AttributesRequested,
    string? InstalledSetId, DateTimeOffset? InstalledAt, DateTimeOffset? LastPollAt, DateTimeOffset CreatedAt);

/// <summary>The SQL of the update targets. A target's poll time is the later of the stored one and one that <see cref="PollTimes"/>
/// noted but has not written yet.</summary>
internal sealed class TargetStore(Database database, PollTimes polls, IOptions<SoftwareUpdateOptions> options, TimeProvider time)
{
    // Bumped by every committed change of a target in this process (any instance in it: tests run several); poll times aside.
    private static long s_changes;

    /// <summary>The DDI door's lookups (<see cref="FindForDoorAsync"/>): on SQLite kept for <see cref="SoftwareUpdateOptions.DoorCacheLifetime"/>.</summary>
    private readonly ShortLivedCache<string, (UpdateTarget Target, string? TokenHash)> _door =
        new(database.Dialect == SqlDialect.Sqlite ? options.Value.DoorCacheLifetime : TimeSpan.Zero);

    /// <summary>A target changes in this transaction (its token, attributes, installed set …): the door's copies are forgotten once it commits.</summary>
    internal static void Changed(DbTransaction transaction) => Database.AfterCommit(transaction, () => Interlocked.Increment(ref s_changes));

    private const string Columns =
        "controller_id AS ControllerId, vin AS Vin, token_hash AS TokenHash, hardware_variant AS HardwareVariant, attributes AS Attributes, " +
        "attributes_requested AS AttributesRequested, installed_set_id AS InstalledSetId, installed_at AS InstalledAt, last_poll_at AS LastPollAt, created_at AS CreatedAt";

    /// <returns>False when a target with this controller id exists.</returns>
    public Task<bool> TryInsertAsync(UpdateTarget target, string? tokenHash, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            Changed(t);
            return await c.ExecuteAsync(
                """
                INSERT INTO sw_targets (controller_id, vin, token_hash, hardware_variant, attributes, attributes_requested, created_at)
                VALUES (@ControllerId, @Vin, @tokenHash, @HardwareVariant, '{}', 1, @at) ON CONFLICT DO NOTHING
                """, new { target.ControllerId, target.Vin, tokenHash, target.HardwareVariant, at = target.CreatedAt.ToUnixTimeMilliseconds() }, t) == 1;
        }, cancellationToken);

    /// <summary>The target and the SHA-256 of its target token (null: it has none).</summary>
    public Task<(UpdateTarget Target, string? TokenHash)?> FindAsync(string controllerId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<Row>($"SELECT {Columns} FROM sw_targets WHERE controller_id = @controllerId", new { controllerId }))
            .Select(r => ((UpdateTarget, string?)?)(r.ToTarget(polls), r.TokenHash)).SingleOrDefault(), cancellationToken);

    /// <summary>
    /// <see cref="FindAsync"/> for the DDI door, which asks on every request (a download's two ranges, a poll and its
    /// deploymentBase …): on SQLite the answer is kept for <see cref="SoftwareUpdateOptions.DoorCacheLifetime"/> and forgotten as soon
    /// as a change of a target commits in this process (a new token, attributes, an installation; <see cref="Changed"/>). A removed
    /// target (the car's deregistration) is let in at most that long. Its poll time is not kept up to date.
    /// </summary>
    public async Task<(UpdateTarget Target, string? TokenHash)?> FindForDoorAsync(string controllerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changes = Interlocked.Read(ref s_changes); // before the read: a change committing meanwhile makes the entry stale
        if (_door.TryGet(controllerId, changes, now, out var cached))
        {
            return cached;
        }
        var found = await FindAsync(controllerId, cancellationToken);
        if (found is { } target)
        {
            _door.Set(controllerId, target, changes, now, DateTimeOffset.MaxValue);
        }
        return found;
    }

    public Task<IReadOnlyList<UpdateTarget>> OfCarAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<UpdateTarget>>(async c =>
            [.. (await c.QueryAsync<Row>($"SELECT {Columns} FROM sw_targets WHERE vin = @vin ORDER BY controller_id", new { vin })).Select(r => r.ToTarget(polls))],
            cancellationToken);

    /// <summary>Every target that is a car.</summary>
    public Task<IReadOnlyList<UpdateTarget>> CarsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<UpdateTarget>>(async c =>
            [.. (await c.QueryAsync<Row>($"SELECT {Columns} FROM sw_targets WHERE vin IS NOT NULL ORDER BY controller_id")).Select(r => r.ToTarget(polls))],
            cancellationToken);

    /// <summary>The car's own target (controller id = VIN), created on its first poll over the vehicle link, marked as polled now.</summary>
    public static async Task CarPolledAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string vin, DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        await c.ExecuteAsync(
            """
            INSERT INTO sw_targets (controller_id, vin, token_hash, hardware_variant, attributes, attributes_requested, created_at, last_poll_at)
            VALUES (@vin, @vin, NULL, NULL, '{}', 0, @ms, @ms)
            ON CONFLICT (controller_id) DO UPDATE SET last_poll_at = excluded.last_poll_at
            """, new { vin, ms }, t);
    }

    /// <summary>Gives the target a new token (only its hash is kept); the old one stops working.</summary>
    public Task SetTokenAsync(string controllerId, string tokenHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            Changed(t);
            return c.ExecuteAsync("UPDATE sw_targets SET token_hash = @tokenHash WHERE controller_id = @controllerId", new { controllerId, tokenHash }, t);
        }, cancellationToken);

    /// <summary>The target polled over DDI: noted now, written with the others' polls (<see cref="PollTimes"/>).</summary>
    public Task PolledAsync(string controllerId, DateTimeOffset at, CancellationToken cancellationToken) => polls.NoteAsync(controllerId, at, cancellationToken);

    /// <summary>Stores the controller's attributes (configData): merged into the stored ones, or replacing them, or removing the
    /// named ones; and stops asking for them.</summary>
    public Task SaveAttributesAsync(string controllerId, IReadOnlyDictionary<string, string> data, string mode, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            Changed(t);
            var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(
                await c.QuerySingleOrDefaultAsync<string>("SELECT attributes FROM sw_targets WHERE controller_id = @controllerId", new { controllerId }, t) ?? "{}") ?? [];
            var merged = mode == "replace" ? [] : stored;
            foreach (var (key, value) in data)
            {
                if (mode == "remove")
                {
                    merged.Remove(key);
                }
                else
                {
                    merged[key] = value;
                }
            }
            await c.ExecuteAsync("UPDATE sw_targets SET attributes = @attributes, attributes_requested = 0 WHERE controller_id = @controllerId",
                new { controllerId, attributes = JsonSerializer.Serialize(merged) }, t);
        }, cancellationToken);

    /// <returns>False when there is no such target.</returns>
    public Task<bool> RequestAttributesAsync(string controllerId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            Changed(t);
            return await c.ExecuteAsync("UPDATE sw_targets SET attributes_requested = 1 WHERE controller_id = @controllerId", new { controllerId }, t) == 1;
        }, cancellationToken);

    private sealed class Row
    {
        public string ControllerId { get; init; } = "";
        public string? Vin { get; init; }
        public string? TokenHash { get; init; }
        public string? HardwareVariant { get; init; }
        public string Attributes { get; init; } = "{}";
        public long AttributesRequested { get; init; }
        public string? InstalledSetId { get; init; }
        public long? InstalledAt { get; init; }
        public long? LastPollAt { get; init; }
        public long CreatedAt { get; init; }

        public UpdateTarget ToTarget(PollTimes polls) => new(ControllerId, Vin, HardwareVariant,
            JsonSerializer.Deserialize<Dictionary<string, string>>(Attributes) ?? [], AttributesRequested != 0, InstalledSetId,
            InstalledAt is { } installed ? StoredTime.Read(installed) : null,
            polls.Latest(ControllerId, LastPollAt is { } polled ? StoredTime.Read(polled) : null), StoredTime.Read(CreatedAt));
    }
}
