namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// A distribution set rolled out to many targets in waves (hawkBit's rollout): <see cref="Waves"/> are cumulative percentages
/// of the targets (e.g. 1, 10, 100); the next wave starts when every action of the current one is closed, and the campaign
/// pauses as soon as <see cref="ErrorThreshold"/> percent of a wave's assigned targets failed — unless an administrator
/// resumed it for that wave (<see cref="AcknowledgedWave"/>).
/// </summary>
internal sealed record Campaign(
    string Id, string Name, string SetId, string Type, IReadOnlyList<int> Waves, int ErrorThreshold, string State, int Wave, int AcknowledgedWave,
    string? PausedReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, MaintenanceWindow? Window = null);

/// <summary>How far one wave got: its targets, how many got an action, and how those ended.</summary>
internal sealed record WaveProgress(int Wave, int Targets, int Assigned, int Open, int Finished, int Failed, int Canceled, int Refused)
{
    public int Started => Assigned + Refused;
}

internal static class CampaignStates
{
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Finished = "finished";
    public const string Canceled = "canceled";
}

/// <param name="Model">With the other filter fields: every car target of this model (and years, variant).</param>
public sealed record CampaignFilter(string? Model, int? FromYear, int? ToYear, string? HardwareVariant);

/// <param name="Type">soft (default: the driver may postpone) or forced.</param>
/// <param name="Targets">The controller ids to update; or <paramref name="Filter"/>.</param>
/// <param name="Waves">Cumulative percentages, rising, ending with 100; default [1, 10, 100].</param>
/// <param name="ErrorThreshold">Percent (1–100) of a wave's failed installations that pauses the campaign; default 20.</param>
/// <param name="MaintenanceWindow">When the cars may install the update, daily; absent: any time.</param>
public sealed record CampaignCreateRequest(
    string? Name, string? SetId, string? Type, IReadOnlyList<string>? Targets, CampaignFilter? Filter, IReadOnlyList<int>? Waves, int? ErrorThreshold,
    MaintenanceWindow? MaintenanceWindow = null);

internal sealed record CampaignResponse(
    string Id, string Name, string SetId, string Type, IReadOnlyList<int> Waves, int ErrorThreshold, string State, int Wave, string? PausedReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<WaveProgress> Progress, MaintenanceWindow? MaintenanceWindow)
{
    public static CampaignResponse From(Campaign c, IReadOnlyList<WaveProgress> progress) =>
        new(c.Id, c.Name, c.SetId, c.Type, c.Waves, c.ErrorThreshold, c.State, c.Wave, c.PausedReason, c.CreatedAt, c.UpdatedAt, progress, c.Window);
}
