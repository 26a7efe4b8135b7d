namespace Pitwall.Server.Features.SoftwareUpdates;

/// <param name="Kind">What the module is (os, application, firmware, …): the DDI chunk's part.</param>
/// <param name="Metadata">Keys and values about the module; those with <c>targetVisible</c> go to update clients in the DDI chunk.</param>
public sealed record ModuleCreateRequest(
    string? Name, string? Version, string? Kind, string? Vendor, string? Description, IReadOnlyList<ModuleMetadata>? Metadata = null);

internal sealed record ArtifactResponse(string Filename, long Size, string Sha256, string Sha1, string Md5, DateTimeOffset CreatedAt)
{
    public static ArtifactResponse From(Artifact a) => new(a.Filename, a.Size, a.Sha256, a.Sha1, a.Md5, a.CreatedAt);
}

internal sealed record ModuleResponse(
    string Id, string Name, string Version, string Kind, string? Vendor, string? Description, DateTimeOffset CreatedAt, IReadOnlyList<ArtifactResponse> Artifacts,
    IReadOnlyList<ModuleMetadata> Metadata)
{
    public static ModuleResponse From(SoftwareModule m) =>
        new(m.Id, m.Name, m.Version, m.Kind, m.Vendor, m.Description, m.CreatedAt, [.. m.Artifacts.Select(ArtifactResponse.From)], m.Metadata ?? []);
}

/// <param name="UpdateKind">security, feature or maintenance.</param>
/// <param name="Model">The car model the set is for; absent: every model.</param>
/// <param name="FromYear">The first model year it is for (inclusive); absent: open.</param>
/// <param name="ToYear">The last model year it is for (inclusive); absent: open.</param>
/// <param name="HardwareVariant">The hardware variant it is for; absent: every variant.</param>
/// <param name="Modules">The ids of its software modules.</param>
public sealed record SetCreateRequest(
    string? Name, string? Version, string? UpdateKind, string? Model, int? FromYear, int? ToYear, string? HardwareVariant, string? Description,
    IReadOnlyList<string>? Modules);

internal sealed record SetResponse(
    string Id, string Name, string Version, string UpdateKind, string? Model, int? FromYear, int? ToYear, string? HardwareVariant, string? Description,
    DateTimeOffset CreatedAt, IReadOnlyList<string> Modules)
{
    public static SetResponse From(DistributionSet s) =>
        new(s.Id, s.Name, s.Version, s.UpdateKind, s.Model, s.FromYear, s.ToYear, s.HardwareVariant, s.Description, s.CreatedAt, s.ModuleIds);
}

/// <param name="ControllerId">The id the device polls with; for a car, usually its VIN.</param>
/// <param name="Vin">The registered car the device is (or is part of); absent for a device that is no car.</param>
internal sealed record TargetCreateRequest(string? ControllerId, string? Vin, string? HardwareVariant);

/// <param name="SecurityToken">The target token (<c>Authorization: TargetToken …</c>): shown once, only its hash is stored.</param>
internal sealed record TargetCreatedResponse(string ControllerId, string? Vin, string SecurityToken);

/// <param name="Targets">The controller ids to assign the set to.</param>
/// <param name="Type">soft (default), forced or downloadonly.</param>
internal sealed record AssignRequest(IReadOnlyList<string>? Targets, string? Type);

/// <param name="Refused">The targets not assigned, each with the problem code why (not_found, set_does_not_fit, action_open).</param>
internal sealed record AssignResponse(IReadOnlyList<ActionResponse> Assigned, IReadOnlyDictionary<string, string> Refused);

internal sealed record ActionStatusResponse(DateTimeOffset At, string Execution, string Finished, string? Progress, IReadOnlyList<string> Details)
{
    public static ActionStatusResponse From(ActionStatusEntry s) => new(s.At, s.Execution, s.Finished, s.Progress, s.Details);
}

internal sealed record ActionResponse(
    long Id, string ControllerId, string SetId, string Type, string Status, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<ActionStatusResponse>? History = null)
{
    public static ActionResponse From(UpdateAction a, IReadOnlyList<ActionStatusEntry>? history = null) =>
        new(a.Id, a.ControllerId, a.SetId, a.Type, a.Status, a.Active, a.CreatedAt, a.UpdatedAt, history?.Select(ActionStatusResponse.From).ToList());
}

/// <summary>A target's software state: what it runs, what it reported about itself, and its actions, newest first.</summary>
internal sealed record TargetResponse(
    string ControllerId, string? Vin, string? HardwareVariant, IReadOnlyDictionary<string, string> Attributes, SetResponse? Installed,
    DateTimeOffset? InstalledAt, DateTimeOffset? LastPollAt, DateTimeOffset CreatedAt, IReadOnlyList<ActionResponse> Actions,
    ManifestResponse? Manifest = null);

/// <summary>The target's latest verified vehicle manifest (what each component runs, as the car signed it) and the latest refusal.</summary>
internal sealed record ManifestResponse(
    string? KeyId, DateTimeOffset? SignedAt, DateTimeOffset? ReceivedAt, IReadOnlyList<InstalledImageResponse> Installed, string? LastRefusal, DateTimeOffset? RefusedAt)
{
    public static ManifestResponse From(StoredManifest m) =>
        new(m.KeyId, m.SignedAt, m.ReceivedAt, [.. m.Installed.Select(i => new InstalledImageResponse(i.Component, i.Version, i.Sha256, i.Length))], m.LastRefusal, m.RefusedAt);
}

internal sealed record InstalledImageResponse(string Component, string Version, string Sha256, long Length);
