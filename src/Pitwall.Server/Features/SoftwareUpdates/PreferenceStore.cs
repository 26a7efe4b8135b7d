using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The SQL of the owner's say: preferences per car and update kind, and the answer to one offered update.</summary>
internal sealed class PreferenceStore(Database database)
{
    /// <summary>Per update kind, the car's preference (the default where the owner chose none).</summary>
    public Task<IReadOnlyDictionary<string, string>> PreferencesAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, string>>(async c =>
        {
            var chosen = (await c.QueryAsync<(string Kind, string Decision)>(
                "SELECT update_kind, decision FROM sw_preferences WHERE vin = @vin", new { vin })).ToDictionary(p => p.Kind, p => p.Decision, StringComparer.Ordinal);
            return UpdateKinds.All.ToDictionary(k => k, k => chosen.GetValueOrDefault(k) ?? OwnerChoices.Default(k), StringComparer.Ordinal);
        }, cancellationToken);

    public Task SetPreferenceAsync(string vin, string updateKind, string decision, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO sw_preferences (vin, update_kind, decision, updated_at) VALUES (@vin, @updateKind, @decision, @at)
            ON CONFLICT (vin, update_kind) DO UPDATE SET decision = excluded.decision, updated_at = excluded.updated_at
            """, new { vin, updateKind, decision, at = at.ToUnixTimeMilliseconds() }, t), cancellationToken);

    /// <summary>The owner's answers to the target's actions, by action id.</summary>
    public Task<IReadOnlyDictionary<long, (string Choice, DateTimeOffset? Until)>> ChoicesAsync(string controllerId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<long, (string Choice, DateTimeOffset? Until)>>(async c =>
            (await c.QueryAsync<(long Id, string Choice, long? Until)>(
                "SELECT id, owner_choice, postponed_until FROM sw_actions WHERE controller_id = @controllerId AND owner_choice IS NOT NULL", new { controllerId }))
            .ToDictionary(r => r.Id, r => (r.Choice, r.Until is { } ms ? (DateTimeOffset?)StoredTime.Read(ms) : null)), cancellationToken);

    /// <summary>Records the answer on the open action, with a status entry for the car's history; false when it is closed.</summary>
    public Task<bool> ChooseAsync(UpdateAction action, string choice, DateTimeOffset? until, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
            await c.ExecuteAsync("UPDATE sw_actions SET owner_choice = @choice, postponed_until = @until WHERE id = @id AND active = 1",
                new { id = action.Id, choice, until = until?.ToUnixTimeMilliseconds() }, t) > 0
            && await ActionStore.RecordAsync(c, t, action, action.Status, $"owner_{choice}", "none", null, [], at), cancellationToken);
}
