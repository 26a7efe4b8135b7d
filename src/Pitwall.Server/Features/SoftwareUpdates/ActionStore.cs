using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The SQL of the actions and the statuses their targets reported.</summary>
internal sealed class ActionStore(Database database, IOptions<SoftwareUpdateOptions> options, TimeProvider time)
{
    // Bumped by every committed change of an action in this process (any instance in it: tests run several).
    private static long s_changes;

    /// <summary>Every DDI request of a target asks for its current actions: on SQLite kept for <see cref="SoftwareUpdateOptions.DoorCacheLifetime"/>.</summary>
    private readonly ShortLivedCache<string, (UpdateAction? Open, UpdateAction? Installed)> _current =
        new(database.Dialect == SqlDialect.Sqlite ? options.Value.DoorCacheLifetime : TimeSpan.Zero);

    private static void Changed(DbTransaction transaction) => Database.AfterCommit(transaction, () => Interlocked.Increment(ref s_changes));

    private const string Columns =
        "id AS Id, controller_id AS ControllerId, set_id AS SetId, type AS Type, status AS Status, active AS Active, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public Task<UpdateAction?> FindAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<Row>($"SELECT {Columns} FROM sw_actions WHERE id = @id", new { id }))
            .Select(r => r.ToAction()).SingleOrDefault(), cancellationToken);

    /// <summary>The target's actions, newest first.</summary>
    public Task<IReadOnlyList<UpdateAction>> OfTargetAsync(string controllerId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<UpdateAction>>(async c => [.. (await c.QueryAsync<Row>(
            $"SELECT {Columns} FROM sw_actions WHERE controller_id = @controllerId ORDER BY id DESC", new { controllerId })).Select(r => r.ToAction())],
            cancellationToken);

    /// <summary>The target's open action (at most one), and its last successfully finished one. On SQLite the answer is kept for
    /// <see cref="SoftwareUpdateOptions.DoorCacheLifetime"/> and forgotten as soon as a change of an action commits in this process
    /// (an assignment, a status, a cancellation); a removed action (the car's deregistration) is seen at most that late.</summary>
    public async Task<(UpdateAction? Open, UpdateAction? Installed)> CurrentAsync(string controllerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changes = Interlocked.Read(ref s_changes); // before the read: a change committing meanwhile makes the entry stale
        if (_current.TryGet(controllerId, changes, now, out var cached))
        {
            return cached;
        }
        var current = await ReadCurrentAsync(controllerId, cancellationToken);
        _current.Set(controllerId, current, changes, now, DateTimeOffset.MaxValue);
        return current;
    }

    private Task<(UpdateAction? Open, UpdateAction? Installed)> ReadCurrentAsync(string controllerId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var open = (await c.QueryAsync<Row>($"SELECT {Columns} FROM sw_actions WHERE controller_id = @controllerId AND active = 1 ORDER BY id DESC",
                new { controllerId })).FirstOrDefault()?.ToAction();
            var installed = (await c.QueryAsync<Row>(
                $"SELECT {Columns} FROM sw_actions WHERE controller_id = @controllerId AND status = @finished ORDER BY id DESC",
                new { controllerId, finished = ActionStatuses.Finished })).FirstOrDefault()?.ToAction();
            return (open, installed);
        }, cancellationToken);

    /// <summary>Creates an action for the target; null when it has an open one.</summary>
    public Task<UpdateAction?> TryCreateAsync(string controllerId, string setId, string type, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync<UpdateAction?>(async (c, t) =>
        {
            Changed(t);
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sw_actions WHERE controller_id = @controllerId AND active = 1", new { controllerId }, t) > 0)
            {
                return null;
            }
            var ms = at.ToUnixTimeMilliseconds();
            var id = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO sw_actions (controller_id, set_id, type, status, active, created_at, updated_at)
                VALUES (@controllerId, @setId, @type, @status, 1, @ms, @ms) RETURNING id
                """, new { controllerId, setId, type, status = ActionStatuses.Pending, ms }, t);
            await AppendAsync(c, t, id, at, "assigned", "none", null, []);
            return new UpdateAction(id, controllerId, setId, type, ActionStatuses.Pending, true, at, at);
        }, cancellationToken);

    /// <summary>Records a status and moves the action to <paramref name="status"/> when it is still open (the update of an open
    /// action and the append are one transaction); a successful end marks the set installed on the target, and asks the target
    /// for its attributes again (as hawkBit does). False when the action was closed meanwhile.</summary>
    public Task<bool> RecordAsync(
        UpdateAction action, string status, string execution, string finished, string? progress, IReadOnlyList<string> details, DateTimeOffset at,
        CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => RecordAsync(c, t, action, status, execution, finished, progress, details, at), cancellationToken);

    /// <summary><see cref="RecordAsync(UpdateAction, string, string, string, string?, IReadOnlyList{string}, DateTimeOffset, CancellationToken)"/>
    /// inside a transaction of the caller's (the vehicle link's ingest batch).</summary>
    public static async Task<bool> RecordAsync(
        DbConnection c, DbTransaction t, UpdateAction action, string status, string execution, string finished, string? progress, IReadOnlyList<string> details,
        DateTimeOffset at)
    {
        var active = Feedback.IsFinal(status) ? 0 : 1;
        Changed(t);
        if (await c.ExecuteAsync("UPDATE sw_actions SET status = @status, active = @active, updated_at = @at WHERE id = @id AND active = 1",
            new { id = action.Id, status, active, at = at.ToUnixTimeMilliseconds() }, t) == 0)
        {
            return false;
        }
        await AppendAsync(c, t, action.Id, at, execution, finished, progress, details);
        if (status == ActionStatuses.Finished)
        {
            TargetStore.Changed(t);
            await c.ExecuteAsync(
                "UPDATE sw_targets SET installed_set_id = @SetId, installed_at = @at, attributes_requested = 1 WHERE controller_id = @ControllerId",
                new { action.SetId, action.ControllerId, at = at.ToUnixTimeMilliseconds() }, t);
        }
        else if (status == ActionStatuses.Downloaded && action.Type == ActionTypes.DownloadOnly)
        {
            // A download-only action has reached its goal: as hawkBit, ask the target what it is now.
            TargetStore.Changed(t);
            await c.ExecuteAsync("UPDATE sw_targets SET attributes_requested = 1 WHERE controller_id = @ControllerId", new { action.ControllerId }, t);
        }
        return true;
    }

    public static async Task<UpdateAction?> FindAsync(DbConnection c, DbTransaction t, long id) =>
        (await c.QueryAsync<Row>($"SELECT {Columns} FROM sw_actions WHERE id = @id", new { id }, t)).Select(r => r.ToAction()).SingleOrDefault();

    /// <summary>The statuses of an action, newest first; at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<ActionStatusEntry>> HistoryAsync(long actionId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ActionStatusEntry>>(async c => [.. (await c.QueryAsync<StatusRow>(
            """
            SELECT seq AS Seq, at AS At, execution AS Execution, finished AS Finished, progress AS Progress, details AS Details
            FROM sw_action_status WHERE action_id = @actionId ORDER BY seq DESC LIMIT @limit
            """, new { actionId, limit })).Select(r => new ActionStatusEntry(
                (int)r.Seq, StoredTime.Read(r.At), r.Execution, r.Finished, r.Progress, JsonSerializer.Deserialize<List<string>>(r.Details) ?? []))],
            cancellationToken);

    private static async Task AppendAsync(
        DbConnection c, DbTransaction t, long actionId, DateTimeOffset at, string execution, string finished, string? progress, IReadOnlyList<string> details)
    {
        var seq = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) + 1 FROM sw_action_status WHERE action_id = @actionId", new { actionId }, t);
        await c.ExecuteAsync(
            """
            INSERT INTO sw_action_status (action_id, seq, at, execution, finished, progress, details)
            VALUES (@actionId, @seq, @at, @execution, @finished, @progress, @details)
            """, new { actionId, seq, at = at.ToUnixTimeMilliseconds(), execution, finished, progress, details = JsonSerializer.Serialize(details) }, t);
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string ControllerId { get; init; } = "";
        public string SetId { get; init; } = "";
        public string Type { get; init; } = "";
        public string Status { get; init; } = "";
        public long Active { get; init; }
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }

        public UpdateAction ToAction() => new(Id, ControllerId, SetId, Type, Status, Active != 0, StoredTime.Read(CreatedAt), StoredTime.Read(UpdatedAt));
    }

    private sealed class StatusRow
    {
        public long Seq { get; init; }
        public long At { get; init; }
        public string Execution { get; init; } = "";
        public string Finished { get; init; } = "";
        public string? Progress { get; init; }
        public string Details { get; init; } = "[]";
    }
}
