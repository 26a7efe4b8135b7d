namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>One component as the car's latest signed vehicle manifest reports it.</summary>
public sealed record ReportedComponentView(string Component, string Version, string Sha256, long Length);

/// <summary>The target's latest verified vehicle manifest (null times: none yet) and the latest refused one's reason.</summary>
public sealed record ManifestView(
    string? KeyId, DateTimeOffset? SignedAt, DateTimeOffset? ReceivedAt, IReadOnlyList<ReportedComponentView> Components, string? LastRefusal, DateTimeOffset? RefusedAt);

/// <summary>One status the target reported on an action (or the server's own step: assigned, retrieved, cancel_requested).</summary>
public sealed record ActionStepView(DateTimeOffset At, string Execution, string Finished, string? Progress, IReadOnlyList<string> Details);

/// <param name="Release">The distribution set's name and version.</param>
public sealed record ActionView(
    long Id, string Release, string Type, string Status, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ActionStepView> Steps);

/// <param name="TargetWave">The wave the target is in, from 1.</param>
/// <param name="CurrentWave">The campaign's current wave, from 1.</param>
/// <param name="Refused">Why the target got no action when its wave started (set_does_not_fit, action_open …); else null.</param>
public sealed record TargetCampaignView(
    string Id, string Name, string State, string? PausedReason, int TargetWave, int CurrentWave, int Waves, long? ActionId, string? Refused);

/// <summary>One update target's software as administrators and support read it: what it runs (the installed set and the components its
/// latest manifest reports), what it told about itself (configData), its updates with every step, and the campaigns it is in.</summary>
public sealed record TargetSoftwareView(
    string ControllerId, string? Vin, string? HardwareVariant, string? Installed, DateTimeOffset? InstalledAt, DateTimeOffset? LastPollAt,
    IReadOnlyDictionary<string, string> Attributes, ManifestView? Manifest, IReadOnlyList<ActionView> Actions, IReadOnlyList<TargetCampaignView> Campaigns);
