using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// The software-update administration as the portal's admin pages use it (F3): the catalogue (modules with their artifacts,
/// distribution sets) and the campaigns with each wave's progress, and the moves on them — the same services as
/// <c>/api/v1/admin/software</c>. The caller is an administrator.
/// </summary>
public interface ISoftwareConsole
{
    Task<SoftwareCatalogueView> CatalogueAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<CampaignView>> CampaignsAsync(CancellationToken cancellationToken);

    /// <summary>The software of each update target of the car (its own and its control units'), by controller id; empty when none.</summary>
    Task<IReadOnlyList<TargetSoftwareView>> CarTargetsAsync(string vin, CancellationToken cancellationToken);

    Task<(string? ModuleId, Refusal? Refusal)> CreateModuleAsync(ModuleCreateRequest request, CancellationToken cancellationToken);

    /// <summary>Streams the file to disk (hashed on the way); the module's artifacts never change once there.</summary>
    Task<Refusal?> UploadAsync(string moduleId, string? filename, Stream content, CancellationToken cancellationToken);

    Task<(string? SetId, Refusal? Refusal)> CreateSetAsync(SetCreateRequest request, CancellationToken cancellationToken);

    Task<(string? CampaignId, Refusal? Refusal)> StartCampaignAsync(CampaignCreateRequest request, CancellationToken cancellationToken);

    Task<Refusal?> PauseAsync(string campaignId, CancellationToken cancellationToken);

    Task<Refusal?> ResumeAsync(string campaignId, CancellationToken cancellationToken);

    Task<Refusal?> CancelAsync(string campaignId, CancellationToken cancellationToken);
}

public sealed record ArtifactView(string Filename, long Size, string Sha256);

public sealed record ModuleView(string Id, string Name, string Version, string Kind, string? Vendor, IReadOnlyList<ArtifactView> Artifacts);

/// <param name="Modules">The names and versions of its modules.</param>
public sealed record SetView(
    string Id, string Name, string Version, string UpdateKind, string? Model, int? FromYear, int? ToYear, string? HardwareVariant, IReadOnlyList<string> Modules);

public sealed record SoftwareCatalogueView(IReadOnlyList<ModuleView> Modules, IReadOnlyList<SetView> Sets);

/// <param name="Number">From 1.</param>
/// <param name="Percent">The cumulative share of the campaign's targets the wave reaches.</param>
/// <param name="Started">Whether the wave has begun (its targets got actions, or were refused).</param>
public sealed record WaveView(int Number, int Percent, int Targets, bool Started, int Open, int Finished, int Failed, int Canceled, int Refused);

/// <param name="Wave">The current wave, from 1.</param>
/// <param name="PausedReason">With paused: error_threshold (and how many failed) or paused_by_administrator.</param>
/// <param name="Window">When the cars may install, daily; null: any time.</param>
public sealed record CampaignView(
    string Id, string Name, string SetName, string Type, string State, string? PausedReason, int ErrorThreshold, int Wave, DateTimeOffset CreatedAt,
    IReadOnlyList<WaveView> Waves, MaintenanceWindow? Window);
