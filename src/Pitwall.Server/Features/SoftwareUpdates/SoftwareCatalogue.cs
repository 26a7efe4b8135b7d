namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>One file of a software module: its name in the module, its length and hashes (its bytes are in the
/// <see cref="ArtifactStore"/> under <see cref="Sha256"/>).</summary>
internal sealed record Artifact(string ModuleId, string Filename, long Size, string Sha256, string Sha1, string Md5, DateTimeOffset CreatedAt);

/// <summary>A versioned piece of software (hawkBit's software module): an operating system image, an application, a control
/// unit's firmware. Its <see cref="Kind"/> is the part a DDI chunk names; its <see cref="Metadata"/> marked target-visible goes into
/// the chunk too.</summary>
internal sealed record SoftwareModule(
    string Id, string Kind, string Name, string Version, string? Vendor, string? Description, DateTimeOffset CreatedAt, IReadOnlyList<Artifact> Artifacts,
    IReadOnlyList<ModuleMetadata>? Metadata = null);

/// <summary>A key and value about a module (hawkBit's software-module metadata); <see cref="TargetVisible"/> ones are sent to the
/// update clients in the deployment's chunk.</summary>
public sealed record ModuleMetadata(string Key, string Value, bool TargetVisible);

/// <summary>
/// What a target installs as one (hawkBit's distribution set): a release of modules for the cars of one model (null: all),
/// model years <see cref="FromYear"/>–<see cref="ToYear"/> (inclusive, null: open) and hardware variant (null: all).
/// <see cref="UpdateKind"/> (security, feature, maintenance) is what the owner's installation preferences tell apart.
/// </summary>
internal sealed record DistributionSet(
    string Id, string Name, string Version, string UpdateKind, string? Model, int? FromYear, int? ToYear, string? HardwareVariant,
    string? Description, DateTimeOffset CreatedAt, IReadOnlyList<string> ModuleIds)
{
    /// <summary>Whether a car of this model and model year, with this hardware variant (null: unknown), may install the set.</summary>
    public bool Fits(string? model, int? modelYear, string? hardwareVariant) =>
        (Model is null || string.Equals(Model, model, StringComparison.OrdinalIgnoreCase))
        && (FromYear is null || modelYear >= FromYear)
        && (ToYear is null || modelYear <= ToYear)
        && (HardwareVariant is null || string.Equals(HardwareVariant, hardwareVariant, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The update kinds a distribution set can be, as the owner's preferences name them.</summary>
internal static class UpdateKinds
{
    public const string Security = "security";
    public const string Feature = "feature";
    public const string Maintenance = "maintenance";

    public static readonly IReadOnlyList<string> All = [Security, Feature, Maintenance];
}
