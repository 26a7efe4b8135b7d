using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The administration's services behind <see cref="ISoftwareConsole"/>, the same the admin API uses.</summary>
internal sealed class SoftwareConsole(
    SoftwareAdministration administration, CatalogueStore catalogue, CampaignRunner runner, CampaignStore campaigns, TargetStore targets) : ISoftwareConsole
{
    public async Task<IReadOnlyList<TargetSoftwareView>> CarTargetsAsync(string vin, CancellationToken cancellationToken)
    {
        var releases = (await catalogue.SetsAsync(cancellationToken)).ToDictionary(s => s.Id, s => $"{s.Name} {s.Version}");
        var views = new List<TargetSoftwareView>();
        foreach (var target in await targets.OfCarAsync(vin, cancellationToken))
        {
            if (await administration.StateAsync(target.ControllerId, cancellationToken) is not { } state)
            {
                continue;
            }
            var m = state.Manifest;
            views.Add(new TargetSoftwareView(state.ControllerId, state.Vin, state.HardwareVariant,
                state.Installed is { } installed ? $"{installed.Name} {installed.Version}" : null, state.InstalledAt, state.LastPollAt, state.Attributes,
                m is null ? null : new ManifestView(m.KeyId, m.SignedAt, m.ReceivedAt,
                    [.. m.Installed.Select(i => new ReportedComponentView(i.Component, i.Version, i.Sha256, i.Length))], m.LastRefusal, m.RefusedAt),
                [.. state.Actions.Select(a => new ActionView(a.Id, releases.GetValueOrDefault(a.SetId, a.SetId), a.Type, a.Status, a.Active, a.CreatedAt, a.UpdatedAt,
                    [.. (a.History ?? []).Select(h => new ActionStepView(h.At, h.Execution, h.Finished, h.Progress, h.Details))]))],
                await campaigns.OfTargetAsync(target.ControllerId, cancellationToken)));
        }
        return views;
    }

    public async Task<SoftwareCatalogueView> CatalogueAsync(CancellationToken cancellationToken)
    {
        var modules = await catalogue.ModulesAsync(cancellationToken);
        var names = modules.ToDictionary(m => m.Id, m => $"{m.Name} {m.Version}");
        return new SoftwareCatalogueView(
            [.. modules.Select(m => new ModuleView(m.Id, m.Name, m.Version, m.Kind, m.Vendor, [.. m.Artifacts.Select(a => new ArtifactView(a.Filename, a.Size, a.Sha256))]))],
            [.. (await catalogue.SetsAsync(cancellationToken)).Select(s => new SetView(s.Id, s.Name, s.Version, s.UpdateKind, s.Model, s.FromYear, s.ToYear,
                s.HardwareVariant, [.. s.ModuleIds.Select(id => names.GetValueOrDefault(id, id))]))]);
    }

    public async Task<IReadOnlyList<CampaignView>> CampaignsAsync(CancellationToken cancellationToken)
    {
        var sets = (await catalogue.SetsAsync(cancellationToken)).ToDictionary(s => s.Id, s => $"{s.Name} {s.Version}");
        var list = new List<CampaignView>();
        foreach (var c in await campaigns.ListAsync(null, cancellationToken))
        {
            var progress = (await campaigns.ProgressAsync(c.Id, cancellationToken)).ToDictionary(w => w.Wave);
            var waves = c.Waves.Select((percent, k) => progress.TryGetValue(k, out var w)
                ? new WaveView(k + 1, percent, w.Targets, w.Started > 0, w.Open, w.Finished, w.Failed, w.Canceled, w.Refused)
                : new WaveView(k + 1, percent, 0, false, 0, 0, 0, 0, 0)).ToList();
            list.Add(new CampaignView(c.Id, c.Name, sets.GetValueOrDefault(c.SetId, c.SetId), c.Type, c.State, c.PausedReason, c.ErrorThreshold, c.Wave + 1,
                c.CreatedAt, waves, c.Window));
        }
        return list;
    }

    public async Task<(string? ModuleId, Refusal? Refusal)> CreateModuleAsync(ModuleCreateRequest request, CancellationToken cancellationToken)
    {
        var (module, refusal) = await administration.CreateModuleAsync(request, cancellationToken);
        return (module?.Id, refusal);
    }

    public async Task<Refusal?> UploadAsync(string moduleId, string? filename, Stream content, CancellationToken cancellationToken) =>
        (await administration.UploadAsync(moduleId, filename, content, cancellationToken)).Refusal;

    public async Task<(string? SetId, Refusal? Refusal)> CreateSetAsync(SetCreateRequest request, CancellationToken cancellationToken)
    {
        var (set, refusal) = await administration.CreateSetAsync(request, cancellationToken);
        return (set?.Id, refusal);
    }

    public async Task<(string? CampaignId, Refusal? Refusal)> StartCampaignAsync(CampaignCreateRequest request, CancellationToken cancellationToken)
    {
        var (campaign, refusal) = await runner.CreateAsync(request, cancellationToken);
        return (campaign?.Id, refusal);
    }

    public async Task<Refusal?> PauseAsync(string campaignId, CancellationToken cancellationToken) => (await runner.PauseAsync(campaignId, cancellationToken)).Refusal;

    public async Task<Refusal?> ResumeAsync(string campaignId, CancellationToken cancellationToken) => (await runner.ResumeAsync(campaignId, cancellationToken)).Refusal;

    public async Task<Refusal?> CancelAsync(string campaignId, CancellationToken cancellationToken) => (await runner.CancelAsync(campaignId, cancellationToken)).Refusal;
}
