using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>What administrators do with the catalogue and the targets: validated, refused with a stable code, then stored.</summary>
internal sealed partial class SoftwareAdministration(
    CatalogueStore catalogue, TargetStore targets, ActionStore actions, ArtifactStore files, ManifestStore manifests, IVehicleDirectory vehicles, IOptions<SoftwareUpdateOptions> options,
    TimeProvider time)
{
    /// <summary>Streams an artifact of the module to disk (never whole in memory) and records it with its hashes.</summary>
    public async Task<(Artifact? Artifact, Refusal? Refusal)> UploadAsync(string moduleId, string? filename, Stream body, CancellationToken cancellationToken)
    {
        if (filename is null || !FileName().IsMatch(filename) || filename.EndsWith(".MD5SUM", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Refusal.Invalid("filename", "1 to 200 letters, digits, dots, dashes or underscores, not ending in .MD5SUM."));
        }
        if (await catalogue.FindModuleAsync(moduleId, cancellationToken) is not { } module)
        {
            return (null, Refusal.NotFound("No such software module."));
        }
        if (module.Artifacts.Any(a => a.Filename == filename))
        {
            return (null, ArtifactExists);
        }
        if (await files.SaveAsync(body, options.Value.MaxArtifactBytes, cancellationToken) is not { } content)
        {
            return (null, new Refusal(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, "The artifact is larger than the configured maximum."));
        }
        var artifact = new Artifact(moduleId, filename, content.Size, content.Sha256, content.Sha1, content.Md5, time.GetUtcNow());
        return await catalogue.TryInsertArtifactAsync(artifact, cancellationToken) ? (artifact, null) : (null, ArtifactExists);
    }

    private static readonly Refusal ArtifactExists =
        Refusal.Conflict(SoftwareUpdateErrorCodes.ArtifactExists, "The module has an artifact of this name; make a new module version.");

    public async Task<(SoftwareModule? Module, Refusal? Refusal)> CreateModuleAsync(ModuleCreateRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Require(errors, "name", request.Name, 100);
        Require(errors, "version", request.Version, 50);
        if (request.Kind is null || !Slug().IsMatch(request.Kind))
        {
            errors.Add("kind", "Give the module's kind: lowercase letters, digits and dashes (os, application, firmware …).");
        }
        var metadata = request.Metadata ?? [];
        if (metadata.Count > 50 || metadata.Any(m => m is null || string.IsNullOrWhiteSpace(m.Key) || m.Key.Length > 128 || m.Value is null || m.Value.Length > 4000)
            || metadata.Select(m => m?.Key).Distinct(StringComparer.Ordinal).Count() != metadata.Count)
        {
            errors.Add("metadata", "At most 50 entries, each with its own key (1 to 128 characters) and a value of at most 4000 characters.");
        }
        if (errors.Any)
        {
            return (null, Refusal.Invalid(errors));
        }
        var module = new SoftwareModule(NewId(), request.Kind!, request.Name!.Trim(), request.Version!.Trim(), request.Vendor, request.Description, time.GetUtcNow(), [],
            [.. metadata.Select(m => new ModuleMetadata(m.Key.Trim(), m.Value, m.TargetVisible))]);
        return await catalogue.TryInsertModuleAsync(module, cancellationToken)
            ? (module, null)
            : (null, Refusal.Conflict(SoftwareUpdateErrorCodes.VersionExists, "A module with this name and version exists; versions never change."));
    }

    public async Task<(DistributionSet? Set, Refusal? Refusal)> CreateSetAsync(SetCreateRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Require(errors, "name", request.Name, 100);
        Require(errors, "version", request.Version, 50);
        if (request.UpdateKind is null || !UpdateKinds.All.Contains(request.UpdateKind))
        {
            errors.Add("updateKind", $"One of {string.Join(", ", UpdateKinds.All)}.");
        }
        if (request.FromYear is { } from && request.ToYear is { } to && from > to)
        {
            errors.Add("toYear", "The last model year comes after the first.");
        }
        var moduleIds = request.Modules?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        var modules = await catalogue.ModulesAsync(cancellationToken);
        if (moduleIds.Count == 0)
        {
            errors.Add("modules", "Name at least one software module.");
        }
        foreach (var missing in moduleIds.Where(id => modules.All(m => m.Id != id)))
        {
            errors.Add("modules", $"No software module {missing}.");
        }
        if (errors.Any)
        {
            return (null, Refusal.Invalid(errors));
        }
        var set = new DistributionSet(NewId(), request.Name!.Trim(), request.Version!.Trim(), request.UpdateKind!, Blank(request.Model), request.FromYear,
            request.ToYear, Blank(request.HardwareVariant), request.Description, time.GetUtcNow(), moduleIds);
        return await catalogue.TryInsertSetAsync(set, cancellationToken)
            ? (set, null)
            : (null, Refusal.Conflict(SoftwareUpdateErrorCodes.VersionExists, "A distribution set with this name and version exists; versions never change."));
    }

    /// <summary>Creates a target with a new random target token, returned once.</summary>
    public async Task<(TargetCreatedResponse? Created, Refusal? Refusal)> CreateTargetAsync(TargetCreateRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.ControllerId is null || !ControllerId().IsMatch(request.ControllerId))
        {
            errors.Add("controllerId", "1 to 64 letters, digits, dots, dashes or underscores.");
        }
        var vin = request.Vin is null ? null : Pitwall.Protocol.Vin.Normalize(request.Vin);
        if (vin is not null && await vehicles.FindAsync(vin, cancellationToken) is null)
        {
            errors.Add("vin", "No registered vehicle has this VIN.");
        }
        if (errors.Any)
        {
            return (null, Refusal.Invalid(errors));
        }
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var target = new UpdateTarget(request.ControllerId!, vin, Blank(request.HardwareVariant), new Dictionary<string, string>(), true, null, null, null, time.GetUtcNow());
        return await targets.TryInsertAsync(target, Hashing.Sha256Hex(token), cancellationToken)
            ? (new TargetCreatedResponse(target.ControllerId, vin, token), null)
            : (null, Refusal.Conflict(SoftwareUpdateErrorCodes.TargetExists, "A target with this controller id exists."));
    }

    /// <summary>Assigns the set to each target that exists, fits and has no open action; says why for each other one.</summary>
    public async Task<(AssignResponse? Result, Refusal? Refusal)> AssignAsync(string setId, AssignRequest request, CancellationToken cancellationToken)
    {
        if (await catalogue.FindSetAsync(setId, cancellationToken) is not { } set)
        {
            return (null, Refusal.NotFound("No such distribution set."));
        }
        var type = request.Type ?? ActionTypes.Soft;
        var errors = new ValidationErrors();
        if (!ActionTypes.All.Contains(type))
        {
            errors.Add("type", $"One of {string.Join(", ", ActionTypes.All)}.");
        }
        if (request.Targets is not { Count: > 0 and <= 10_000 })
        {
            errors.Add("targets", "Name 1 to 10 000 controller ids.");
        }
        if (errors.Any)
        {
            return (null, Refusal.Invalid(errors));
        }
        var assigned = new List<ActionResponse>();
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controllerId in request.Targets!.Distinct(StringComparer.Ordinal))
        {
            var (action, code) = await AssignOneAsync(set, controllerId, type, cancellationToken);
            if (action is not null)
            {
                assigned.Add(ActionResponse.From(action));
            }
            else
            {
                refused[controllerId] = code!;
            }
        }
        return (new AssignResponse(assigned, refused), null);
    }

    /// <summary>One target's action for the set, or the code why not (not_found, set_does_not_fit, action_open).</summary>
    public async Task<(UpdateAction? Action, string? Code)> AssignOneAsync(DistributionSet set, string controllerId, string type, CancellationToken cancellationToken)
    {
        if (await targets.FindAsync(controllerId, cancellationToken) is not { Target: var target })
        {
            return (null, ErrorCodes.NotFound);
        }
        var car = target.Vin is null ? null : await vehicles.FindAsync(target.Vin, cancellationToken);
        var variant = target.HardwareVariant ?? target.Attributes.GetValueOrDefault("hwRevision");
        if (car is not null ? !set.Fits(car.Model, car.ModelYear, variant) : (set.Model is not null || set.FromYear is not null || set.ToYear is not null
            || !set.Fits(null, null, variant)))
        {
            return (null, SoftwareUpdateErrorCodes.SetDoesNotFit);
        }
        return await actions.TryCreateAsync(controllerId, set.Id, type, time.GetUtcNow(), cancellationToken) is { } action
            ? (action, null)
            : (null, SoftwareUpdateErrorCodes.ActionOpen);
    }

    /// <summary>Asks the target to cancel an open action; it ends once the target confirms.</summary>
    public async Task<(UpdateAction? Action, Refusal? Refusal)> CancelAsync(long actionId, CancellationToken cancellationToken)
    {
        if (await actions.FindAsync(actionId, cancellationToken) is not { } action)
        {
            return (null, Refusal.NotFound("No such action."));
        }
        if (action.Status == ActionStatuses.Canceling)
        {
            return (action, null);
        }
        return action.Active && await actions.RecordAsync(action, ActionStatuses.Canceling, "cancel_requested", "none", null, [], time.GetUtcNow(), cancellationToken)
            ? (action with { Status = ActionStatuses.Canceling }, null)
            : (null, Refusal.Conflict(SoftwareUpdateErrorCodes.ActionNotCancelable, "The action is closed; there is nothing to cancel."));
    }

    /// <summary>Asks the target for its attributes (the next base poll links configData), as hawkBit's management UI can.</summary>
    /// <returns>False when there is no such target.</returns>
    public Task<bool> RequestAttributesAsync(string controllerId, CancellationToken cancellationToken) =>
        targets.RequestAttributesAsync(controllerId, cancellationToken);

    public async Task<TargetResponse?> StateAsync(string controllerId, CancellationToken cancellationToken)
    {
        if (await targets.FindAsync(controllerId, cancellationToken) is not { Target: var target })
        {
            return null;
        }
        var installed = target.InstalledSetId is null ? null : await catalogue.FindSetAsync(target.InstalledSetId, cancellationToken);
        var list = new List<ActionResponse>();
        foreach (var action in (await actions.OfTargetAsync(controllerId, cancellationToken)).Take(20))
        {
            list.Add(ActionResponse.From(action, await actions.HistoryAsync(action.Id, 50, cancellationToken)));
        }
        return new TargetResponse(target.ControllerId, target.Vin, target.HardwareVariant, target.Attributes, installed is null ? null : SetResponse.From(installed),
            target.InstalledAt, target.LastPollAt, target.CreatedAt, list,
            await manifests.FindAsync(controllerId, cancellationToken) is { } manifest ? ManifestResponse.From(manifest) : null);
    }

    private static void Require(ValidationErrors errors, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > max)
        {
            errors.Add(field, $"Required, at most {max} characters.");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string NewId() => Guid.NewGuid().ToString("N")[..16];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")]
    private static partial Regex FileName();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex Slug();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    public static partial Regex ControllerId();
}
