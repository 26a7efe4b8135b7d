using System.Globalization;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>Describes an action's distribution set as a DDI deployment: the handling from the action's type, one chunk per
/// module, each artifact with its hashes and download links under the controller's own URL.</summary>
internal sealed class DdiDeployments(CatalogueStore catalogue, ActionStore actions, CampaignStore campaigns, TimeProvider time)
{
    public async Task<DdiDeploymentBase> DescribeAsync(UpdateAction action, string self, int actionHistory, CancellationToken cancellationToken)
    {
        var set = await catalogue.FindSetAsync(action.SetId, cancellationToken);
        var modules = new List<SoftwareModule>();
        foreach (var id in set?.ModuleIds ?? [])
        {
            if (await catalogue.FindModuleAsync(id, cancellationToken) is { } module)
            {
                modules.Add(module);
            }
        }
        var (download, update) = action.Type switch
        {
            ActionTypes.Forced => ("forced", "forced"),
            ActionTypes.DownloadOnly => ("forced", "skip"),
            _ => ("attempt", "attempt"),
        };
        // Outside its campaign's maintenance window the target may download but not install (hawkBit's "unavailable": update skip).
        var window = await campaigns.WindowOfActionAsync(action.Id, cancellationToken) is { } w
            ? w.IsOpen(time.GetUtcNow()) ? MaintenanceWindow.Available : MaintenanceWindow.Unavailable
            : null;
        if (window == MaintenanceWindow.Unavailable)
        {
            update = "skip";
        }
        var chunks = modules.Select(m => new DdiChunk(m.Kind, m.Version, m.Name, [.. m.Artifacts.Select(a => Describe(a, self))])).ToList();
        DdiActionHistory? history = null;
        if (actionHistory != 0)
        {
            var entries = await actions.HistoryAsync(action.Id, actionHistory < 0 ? 1000 : Math.Min(actionHistory, 1000), cancellationToken);
            history = new DdiActionHistory(action.Status, [.. entries.SelectMany(e => e.Details.Count > 0 ? e.Details : [e.Execution])]);
        }
        return new DdiDeploymentBase(action.Id.ToString(CultureInfo.InvariantCulture), new DdiDeployment(download, update, chunks, window), history);
    }

    public Task<DistributionSet?> SetAsync(string setId, CancellationToken cancellationToken) => catalogue.FindSetAsync(setId, cancellationToken);

    /// <summary>The module when it belongs to the set of the controller's open or installed action: a controller downloads only
    /// what it was given.</summary>
    public async Task<SoftwareModule?> AssignedModuleAsync(string controllerId, string moduleId, CancellationToken cancellationToken)
    {
        var (open, installed) = await actions.CurrentAsync(controllerId, cancellationToken);
        foreach (var action in new[] { open, installed })
        {
            if (action is not null && await catalogue.FindSetAsync(action.SetId, cancellationToken) is { } set && set.ModuleIds.Contains(moduleId))
            {
                return await catalogue.FindModuleAsync(moduleId, cancellationToken);
            }
        }
        return null;
    }

    /// <summary>An artifact with its hashes and links: <c>download</c> on the scheme the controller used, <c>download-http</c> too
    /// when that is plain HTTP (clients pick the one they support), and the same for the MD5 file.</summary>
    public static DdiArtifact Describe(Artifact artifact, string self)
    {
        var url = $"{self}/softwaremodules/{Uri.EscapeDataString(artifact.ModuleId)}/artifacts/{Uri.EscapeDataString(artifact.Filename)}";
        var links = new Dictionary<string, DdiLink>(StringComparer.Ordinal) { ["download"] = new(url), ["md5sum"] = new($"{url}.MD5SUM") };
        if (url.StartsWith("http:", StringComparison.Ordinal))
        {
            links["download-http"] = new(url);
            links["md5sum-http"] = new($"{url}.MD5SUM");
        }
        return new DdiArtifact(artifact.Filename, new DdiHashes(artifact.Sha1, artifact.Md5, artifact.Sha256), artifact.Size, links);
    }
}
