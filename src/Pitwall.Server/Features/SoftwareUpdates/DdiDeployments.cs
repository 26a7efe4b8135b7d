using System.Globalization;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>Describes an action's distribution set as a DDI deployment: the handling from the action's type, one chunk per
/// module, each artifact with its hashes and download links under the controller's own URL.</summary>
internal sealed class DdiDeployments(CatalogueStore catalogue, ActionStore actions, CampaignStore campaigns, TimeProvider time)
{
    /// <summary>hawkBit's cap on the messages of an action history (a negative or larger count gives this many).</summary>
    public const int MaxHistoryMessages = 100;

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
        var window = await WindowStatusAsync(action, cancellationToken);
        if (window == MaintenanceWindow.Unavailable)
        {
            update = "skip";
        }
        var chunks = modules.Select(m => new DdiChunk(Part(m.Kind), m.Version, m.Name, [.. m.Artifacts.Select(a => Describe(a, self))],
            m.Metadata?.Where(x => x.TargetVisible).Select(x => new DdiMetadata(x.Key, x.Value)).ToList() is { Count: > 0 } visible ? visible : null)).ToList();
        var history = actionHistory == 0 ? null : await HistoryAsync(action, actionHistory, cancellationToken);
        return new DdiDeploymentBase(action.Id.ToString(CultureInfo.InvariantCulture), new DdiDeployment(download, update, chunks, window), history);
    }

    /// <summary>available or unavailable when the action's campaign has a maintenance window; null when it has none.</summary>
    public async Task<string?> WindowStatusAsync(UpdateAction action, CancellationToken cancellationToken) =>
        await campaigns.WindowOfActionAsync(action.Id, cancellationToken) is { } w
            ? w.IsOpen(time.GetUtcNow()) ? MaintenanceWindow.Available : MaintenanceWindow.Unavailable
            : null;

    /// <summary>The polling sleep with an open action: <see cref="MaintenanceWindow.PollingSleep"/> of its campaign's window, if any.</summary>
    public async Task<TimeSpan> SleepAsync(UpdateAction action, TimeSpan sleep, TimeSpan minimum, CancellationToken cancellationToken) =>
        await campaigns.WindowOfActionAsync(action.Id, cancellationToken) is { } window ? window.PollingSleep(time.GetUtcNow(), sleep, minimum) : sleep;

    /// <summary>hawkBit's action history: the action's status by hawkBit's name and up to <paramref name="count"/> messages (negative:
    /// <see cref="MaxHistoryMessages"/>), newest first — what the target reported, its status codes, and the assignment; the server's
    /// own bookkeeping (retrieved, cancel requested) is left out. Null when there are no messages.</summary>
    private async Task<DdiActionHistory?> HistoryAsync(UpdateAction action, int count, CancellationToken cancellationToken)
    {
        var limit = count < 0 || count > MaxHistoryMessages ? MaxHistoryMessages : count;
        var messages = new List<string>();
        foreach (var entry in await actions.HistoryAsync(action.Id, 1000, cancellationToken))
        {
            IEnumerable<string> said = entry.Execution switch
            {
                "assigned" => [$"Assignment initiated by the update server ({action.Type})"],
                "retrieved" or "cancel_requested" => [],
                _ => entry.Details,
            };
            messages.AddRange(said.Take(limit - messages.Count));
            if (messages.Count == limit)
            {
                break;
            }
        }
        return messages.Count == 0 ? null : new DdiActionHistory(HawkbitStatus(action.Status), messages);
    }

    /// <summary>An action's status as hawkBit's <c>Action.Status</c> names it.</summary>
    public static string HawkbitStatus(string status) => status switch
    {
        ActionStatuses.Retrieved => "RETRIEVED",
        ActionStatuses.Downloading => "DOWNLOAD",
        ActionStatuses.Downloaded => "DOWNLOADED",
        ActionStatuses.Rejected => "WARNING",
        ActionStatuses.Canceling => "CANCELING",
        ActionStatuses.Canceled => "CANCELED",
        ActionStatuses.Finished => "FINISHED",
        ActionStatuses.Error => "ERROR",
        _ => "RUNNING",
    };

    /// <summary>The chunk's part: the module's kind, with hawkBit's legacy keys for its application and runtime types.</summary>
    private static string Part(string kind) => kind switch
    {
        "application" => "bApp",
        "runtime" => "jvm",
        _ => kind,
    };

    public Task<DistributionSet?> SetAsync(string setId, CancellationToken cancellationToken) => catalogue.FindSetAsync(setId, cancellationToken);

    /// <summary>The module when it belongs to the set of the controller's open or installed action: a controller downloads only
    /// what it was given.</summary>
    public async Task<SoftwareModule?> AssignedModuleAsync(string controllerId, string moduleId, CancellationToken cancellationToken)
    {
        var (open, installed) = await actions.CurrentAsync(controllerId, cancellationToken);
        foreach (var action in new[] { open, installed })
        {
            if (action is not null && await catalogue.FindSetForDoorAsync(action.SetId, cancellationToken) is { } set && set.ModuleIds.Contains(moduleId))
            {
                return await catalogue.FindModuleForDoorAsync(moduleId, cancellationToken);
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
