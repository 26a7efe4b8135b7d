using System.Security.Cryptography;
using System.Text;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>Creates campaigns and moves them on: starts waves, pauses at the error threshold, finishes, resumes, cancels.</summary>
internal sealed class CampaignRunner(
    CampaignStore campaigns, CatalogueStore catalogue, TargetStore targets, SoftwareAdministration administration,
    IVehicleDirectory vehicles, TimeProvider time)
{
    private static readonly IReadOnlyList<int> DefaultWaves = [1, 10, 100];

    public async Task<(Campaign? Campaign, Refusal? Refusal)> CreateAsync(CampaignCreateRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors.Add("name", "Required, at most 100 characters.");
        }
        var set = request.SetId is null ? null : await catalogue.FindSetAsync(request.SetId, cancellationToken);
        if (set is null)
        {
            errors.Add("setId", "No such distribution set.");
        }
        var type = request.Type ?? ActionTypes.Soft;
        if (type is not (ActionTypes.Soft or ActionTypes.Forced))
        {
            errors.Add("type", "soft or forced.");
        }
        var waves = request.Waves ?? DefaultWaves;
        if (waves.Count is 0 or > 10 || waves[^1] != 100 || waves.Zip(waves.Skip(1)).Any(p => p.First >= p.Second) || waves[0] < 1)
        {
            errors.Add("waves", "1 to 10 cumulative percentages, rising, ending with 100 (e.g. [1, 10, 100]).");
        }
        var threshold = request.ErrorThreshold ?? 20;
        if (threshold is < 1 or > 100)
        {
            errors.Add("errorThreshold", "A percentage from 1 to 100.");
        }
        request.MaintenanceWindow?.Validate(errors);
        var chosen = await ChooseAsync(request, errors, cancellationToken);
        if (errors.Any)
        {
            return (null, Refusal.Invalid(errors));
        }
        var now = time.GetUtcNow();
        var campaign = new Campaign(Guid.NewGuid().ToString("N")[..16], request.Name!.Trim(), set!.Id, type, waves, threshold, CampaignStates.Running, 0, -1, null, now, now,
            request.MaintenanceWindow is { } w ? w with { TimeZone = w.TimeZone ?? "UTC" } : null);
        await campaigns.InsertAsync(campaign, Waves(campaign, chosen), cancellationToken);
        return (await AdvanceAsync(campaign.Id, cancellationToken), null);
    }

    /// <summary>The targets named, or those the filter picks among the car targets.</summary>
    private async Task<IReadOnlyList<string>> ChooseAsync(CampaignCreateRequest request, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if ((request.Targets is null) == (request.Filter is null))
        {
            errors.Add("targets", "Name the targets, or give a filter — one of them.");
            return [];
        }
        if (request.Targets is { } named)
        {
            var list = named.Distinct(StringComparer.Ordinal).ToList();
            if (list.Count is 0 or > 100_000)
            {
                errors.Add("targets", "1 to 100 000 controller ids.");
            }
            foreach (var unknown in list.Take(1000).Where(id => !SoftwareAdministration.ControllerId().IsMatch(id)))
            {
                errors.Add("targets", $"Not a controller id: {unknown}.");
            }
            return list;
        }
        var filter = request.Filter!;
        var picked = new List<string>();
        foreach (var target in await targets.CarsAsync(cancellationToken))
        {
            var car = await vehicles.FindAsync(target.Vin!, cancellationToken);
            var variant = target.HardwareVariant ?? target.Attributes.GetValueOrDefault("hwRevision");
            if (car is not null && new DistributionSet("", "", "", "", filter.Model, filter.FromYear, filter.ToYear, filter.HardwareVariant, null, default, [])
                .Fits(car.Model, car.ModelYear, variant))
            {
                picked.Add(target.ControllerId);
            }
        }
        if (picked.Count == 0)
        {
            errors.Add("filter", "No car target matches the filter.");
        }
        return picked;
    }

    /// <summary>Each target's wave: a shuffle fixed by the campaign's id (so waves are a sample, not the first ids), then cut at
    /// the cumulative percentages, rounding up (the first wave has at least one target).</summary>
    private static IReadOnlyList<(string ControllerId, int Wave)> Waves(Campaign campaign, IReadOnlyList<string> chosen)
    {
        var order = chosen.OrderBy(id => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(campaign.Id + "/" + id))), StringComparer.Ordinal).ToList();
        var ends = campaign.Waves.Select(p => (int)Math.Ceiling(order.Count * p / 100.0)).ToList();
        return [.. order.Select((id, k) => (id, ends.FindIndex(end => k < end)))];
    }

    /// <summary>Moves a running campaign as far as it can go now; the campaign job calls it for each running campaign.</summary>
    public async Task<Campaign?> AdvanceAsync(string id, CancellationToken cancellationToken)
    {
        while (await campaigns.FindAsync(id, cancellationToken) is { State: CampaignStates.Running } campaign)
        {
            foreach (var controllerId in await campaigns.UnstartedAsync(id, campaign.Wave, cancellationToken))
            {
                var set = await catalogue.FindSetAsync(campaign.SetId, cancellationToken);
                var (action, code) = await administration.AssignOneAsync(set!, controllerId, campaign.Type, cancellationToken);
                await campaigns.StartedAsync(id, controllerId, action?.Id, code, cancellationToken);
            }
            var wave = (await campaigns.ProgressAsync(id, cancellationToken)).FirstOrDefault(w => w.Wave == campaign.Wave);
            Campaign next;
            if (wave is not null && campaign.Wave > campaign.AcknowledgedWave && wave.Assigned > 0 && wave.Failed * 100 >= campaign.ErrorThreshold * wave.Assigned)
            {
                next = campaign with { State = CampaignStates.Paused, PausedReason = $"error_threshold: {wave.Failed} of {wave.Assigned} failed in wave {wave.Wave + 1}" };
            }
            else if (wave is { Open: > 0 })
            {
                return campaign;
            }
            else if (campaign.Wave >= campaign.Waves.Count - 1)
            {
                next = campaign with { State = CampaignStates.Finished };
            }
            else
            {
                next = campaign with { Wave = campaign.Wave + 1 };
            }
            if (!await campaigns.MoveAsync(next, [CampaignStates.Running], time.GetUtcNow(), cancellationToken) || next.State != CampaignStates.Running)
            {
                break;
            }
        }
        return await campaigns.FindAsync(id, cancellationToken);
    }

    /// <summary>Pauses a running campaign by hand: no further wave starts until it is resumed; its open actions go on.</summary>
    public async Task<(Campaign? Campaign, Refusal? Refusal)> PauseAsync(string id, CancellationToken cancellationToken)
    {
        if (await campaigns.FindAsync(id, cancellationToken) is not { } campaign)
        {
            return (null, Refusal.NotFound("No such campaign."));
        }
        var paused = campaign with { State = CampaignStates.Paused, PausedReason = "paused_by_administrator" };
        return await campaigns.MoveAsync(paused, [CampaignStates.Running], time.GetUtcNow(), cancellationToken)
            ? (await campaigns.FindAsync(id, cancellationToken), null)
            : (null, Refusal.Conflict(SoftwareUpdateErrorCodes.CampaignStateConflict, $"The campaign is {campaign.State}, not running."));
    }

    /// <summary>Resumes a paused campaign: when the error threshold paused it, the current wave's errors are accepted; it goes on.</summary>
    public async Task<(Campaign? Campaign, Refusal? Refusal)> ResumeAsync(string id, CancellationToken cancellationToken)
    {
        if (await campaigns.FindAsync(id, cancellationToken) is not { } campaign)
        {
            return (null, Refusal.NotFound("No such campaign."));
        }
        // A pause by the error threshold is resumed by accepting the wave's errors; a pause by hand accepts none.
        var acknowledged = campaign.PausedReason?.StartsWith("error_threshold", StringComparison.Ordinal) == true ? campaign.Wave : campaign.AcknowledgedWave;
        var resumed = campaign with { State = CampaignStates.Running, AcknowledgedWave = acknowledged, PausedReason = null };
        return campaign.State == CampaignStates.Paused && await campaigns.MoveAsync(resumed, [CampaignStates.Paused], time.GetUtcNow(), cancellationToken)
            ? (await AdvanceAsync(id, cancellationToken), null)
            : (null, Refusal.Conflict(SoftwareUpdateErrorCodes.CampaignStateConflict, $"The campaign is {campaign.State}, not paused."));
    }

    /// <summary>Cancels a running or paused campaign: no wave starts any more, and every open action of it is asked to cancel.</summary>
    public async Task<(Campaign? Campaign, Refusal? Refusal)> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (await campaigns.FindAsync(id, cancellationToken) is not { } campaign)
        {
            return (null, Refusal.NotFound("No such campaign."));
        }
        if (!await campaigns.MoveAsync(campaign with { State = CampaignStates.Canceled }, [CampaignStates.Running, CampaignStates.Paused], time.GetUtcNow(), cancellationToken))
        {
            return (null, Refusal.Conflict(SoftwareUpdateErrorCodes.CampaignStateConflict, $"The campaign is {campaign.State} already."));
        }
        foreach (var actionId in await campaigns.OpenActionsAsync(id, cancellationToken))
        {
            await administration.CancelAsync(actionId, cancellationToken);
        }
        return (await campaigns.FindAsync(id, cancellationToken), null);
    }
}
