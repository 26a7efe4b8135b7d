using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The SQL of the campaigns and their targets.</summary>
internal sealed class CampaignStore(Database database)
{
    private const string Columns =
        "id AS Id, name AS Name, set_id AS SetId, type AS Type, waves AS Waves, error_threshold AS ErrorThreshold, state AS State, wave AS Wave, " +
        "acknowledged_wave AS AcknowledgedWave, paused_reason AS PausedReason, created_at AS CreatedAt, updated_at AS UpdatedAt, " +
        "maintenance_window AS MaintenanceWindow";

    public Task InsertAsync(Campaign c, IReadOnlyList<(string ControllerId, int Wave)> targets, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, t) =>
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO sw_campaigns (id, name, set_id, type, waves, error_threshold, state, wave, acknowledged_wave, paused_reason, created_at, updated_at,
                                          maintenance_window)
                VALUES (@Id, @Name, @SetId, @Type, @waves, @ErrorThreshold, @State, @Wave, @AcknowledgedWave, @PausedReason, @at, @at, @window)
                """,
                new { c.Id, c.Name, c.SetId, c.Type, waves = JsonSerializer.Serialize(c.Waves), c.ErrorThreshold, c.State, c.Wave, c.AcknowledgedWave, c.PausedReason,
                    at = c.CreatedAt.ToUnixTimeMilliseconds(), window = c.Window is null ? null : JsonSerializer.Serialize(c.Window) }, t);
            await connection.ExecuteAsync("INSERT INTO sw_campaign_targets (campaign_id, controller_id, wave) VALUES (@id, @ControllerId, @Wave)",
                targets.Select(x => new { id = c.Id, x.ControllerId, x.Wave }), t);
        }, cancellationToken);

    public Task<Campaign?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<Row>($"SELECT {Columns} FROM sw_campaigns WHERE id = @id", new { id })).Select(r => r.ToCampaign()).SingleOrDefault(),
            cancellationToken);

    public Task<IReadOnlyList<Campaign>> ListAsync(string? state, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Campaign>>(async c => [.. (await c.QueryAsync<Row>(
            $"SELECT {Columns} FROM sw_campaigns WHERE (@state IS NULL OR state = @state) ORDER BY created_at DESC", new { state })).Select(r => r.ToCampaign())],
            cancellationToken);

    /// <summary>The maintenance window of the campaign the action belongs to; null when it has none (or is no campaign's).</summary>
    public Task<MaintenanceWindow?> WindowOfActionAsync(long actionId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.QueryFirstOrDefaultAsync<string?>(
            """
            SELECT cp.maintenance_window FROM sw_campaign_targets ct JOIN sw_campaigns cp ON cp.id = ct.campaign_id
            WHERE ct.action_id = @actionId
            """, new { actionId }) is { } json ? JsonSerializer.Deserialize<MaintenanceWindow>(json) : null, cancellationToken);

    /// <summary>Moves the campaign from <paramref name="from"/> (one of them) to its new state; false when it was not in it.</summary>
    public Task<bool> MoveAsync(Campaign c, IReadOnlyList<string> from, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, t) => await connection.ExecuteAsync(
            """
            UPDATE sw_campaigns SET state = @State, wave = @Wave, acknowledged_wave = @AcknowledgedWave, paused_reason = @PausedReason, updated_at = @at
            WHERE id = @Id AND state IN (@from0, @from1)
            """, new { c.Id, c.State, c.Wave, c.AcknowledgedWave, c.PausedReason, at = at.ToUnixTimeMilliseconds(), from0 = from[0], from1 = from[^1] }, t) == 1,
            cancellationToken);

    /// <summary>The wave's targets not yet started.</summary>
    public Task<IReadOnlyList<string>> UnstartedAsync(string id, int wave, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async c => [.. await c.QueryAsync<string>(
            "SELECT controller_id FROM sw_campaign_targets WHERE campaign_id = @id AND wave = @wave AND action_id IS NULL AND refused IS NULL ORDER BY controller_id",
            new { id, wave })], cancellationToken);

    public Task StartedAsync(string id, string controllerId, long? actionId, string? refused, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE sw_campaign_targets SET action_id = @actionId, refused = @refused WHERE campaign_id = @id AND controller_id = @controllerId",
            new { id, controllerId, actionId, refused }, t), cancellationToken);

    /// <summary>The open actions of the campaign's targets.</summary>
    public Task<IReadOnlyList<long>> OpenActionsAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<long>>(async c => [.. await c.QueryAsync<long>(
            "SELECT a.id FROM sw_campaign_targets ct JOIN sw_actions a ON a.id = ct.action_id WHERE ct.campaign_id = @id AND a.active = 1", new { id })],
            cancellationToken);

    public Task<IReadOnlyList<WaveProgress>> ProgressAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<WaveProgress>>(async c => [.. (await c.QueryAsync<ProgressRow>(
            """
            SELECT ct.wave AS Wave, COUNT(*) AS Targets, COUNT(ct.action_id) AS Assigned,
                   SUM(CASE WHEN a.active = 1 THEN 1 ELSE 0 END) AS Open,
                   SUM(CASE WHEN a.status = 'finished' THEN 1 ELSE 0 END) AS Finished,
                   SUM(CASE WHEN a.status = 'error' THEN 1 ELSE 0 END) AS Failed,
                   SUM(CASE WHEN a.status = 'canceled' THEN 1 ELSE 0 END) AS Canceled,
                   COUNT(ct.refused) AS Refused
            FROM sw_campaign_targets ct LEFT JOIN sw_actions a ON a.id = ct.action_id
            WHERE ct.campaign_id = @id GROUP BY ct.wave ORDER BY ct.wave
            """, new { id })).Select(r => new WaveProgress(
                (int)r.Wave, (int)r.Targets, (int)r.Assigned, (int)(r.Open ?? 0), (int)(r.Finished ?? 0), (int)(r.Failed ?? 0), (int)(r.Canceled ?? 0), (int)r.Refused))],
            cancellationToken);

    /// <summary>The campaigns the target is in, newest first, with its wave and what became of it there.</summary>
    public Task<IReadOnlyList<TargetCampaignView>> OfTargetAsync(string controllerId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TargetCampaignView>>(async c => [.. (await c.QueryAsync<TargetRow>(
            """
            SELECT cp.id AS Id, cp.name AS Name, cp.state AS State, cp.paused_reason AS PausedReason, cp.wave AS Wave, cp.waves AS Waves,
                   ct.wave AS TargetWave, ct.action_id AS ActionId, ct.refused AS Refused
            FROM sw_campaign_targets ct JOIN sw_campaigns cp ON cp.id = ct.campaign_id
            WHERE ct.controller_id = @controllerId ORDER BY cp.created_at DESC
            """, new { controllerId })).Select(r => new TargetCampaignView(r.Id, r.Name, r.State, r.PausedReason, (int)r.TargetWave + 1, (int)r.Wave + 1,
                (JsonSerializer.Deserialize<List<int>>(r.Waves) ?? []).Count, r.ActionId, r.Refused))],
            cancellationToken);

    private sealed class TargetRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string State { get; init; } = "";
        public string? PausedReason { get; init; }
        public long Wave { get; init; }
        public string Waves { get; init; } = "[]";
        public long TargetWave { get; init; }
        public long? ActionId { get; init; }
        public string? Refused { get; init; }
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string SetId { get; init; } = "";
        public string Type { get; init; } = "";
        public string Waves { get; init; } = "[]";
        public long ErrorThreshold { get; init; }
        public string State { get; init; } = "";
        public long Wave { get; init; }
        public long AcknowledgedWave { get; init; }
        public string? PausedReason { get; init; }
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }
        public string? MaintenanceWindow { get; init; }

        public Campaign ToCampaign() => new(Id, Name, SetId, Type, JsonSerializer.Deserialize<List<int>>(Waves) ?? [], (int)ErrorThreshold, State, (int)Wave,
            (int)AcknowledgedWave, PausedReason, StoredTime.Read(CreatedAt), StoredTime.Read(UpdatedAt),
            MaintenanceWindow is null ? null : JsonSerializer.Deserialize<MaintenanceWindow>(MaintenanceWindow));
    }

    private sealed class ProgressRow
    {
        public long Wave { get; init; }
        public long Targets { get; init; }
        public long Assigned { get; init; }
        public long? Open { get; init; }
        public long? Finished { get; init; }
        public long? Failed { get; init; }
        public long? Canceled { get; init; }
        public long Refused { get; init; }
    }
}
