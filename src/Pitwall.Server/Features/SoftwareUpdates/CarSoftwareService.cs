using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The car's software, update and version state as Pitwall documents it (F3), and the owner's say in it.</summary>
internal sealed class CarSoftwareService(
    TargetStore targets, ActionStore actions, CatalogueStore catalogue, PreferenceStore preferences, ManifestStore manifests, TimeProvider time) : ICarSoftware
{
    public async Task<CarSoftwareResponse> StateAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var releases = (await catalogue.SetsAsync(cancellationToken)).ToDictionary(s => s.Id, s => new ReleaseView(s.Name, s.Version, s.UpdateKind));
        var views = new List<CarTargetView>();
        foreach (var target in await targets.OfCarAsync(vin, cancellationToken))
        {
            var choices = await preferences.ChoicesAsync(target.ControllerId, cancellationToken);
            // What the car did before the caller had it is not the caller's to see.
            var updates = (await actions.OfTargetAsync(target.ControllerId, cancellationToken)).Where(a => a.CreatedAt >= since)
                .Select(a => choices.TryGetValue(a.Id, out var choice)
                    ? View(a, releases) with { OwnerChoice = choice.Choice, PostponedUntil = choice.Until }
                    : View(a, releases)).ToList();
            var reported = await manifests.FindAsync(target.ControllerId, cancellationToken) is { SignedAt: { } signed } m && signed >= since
                ? new ReportedSoftwareView(signed, [.. m.Installed.Select(i => new ReportedComponentView(i.Component, i.Version, i.Sha256, i.Length))])
                : null;
            views.Add(new CarTargetView(target.ControllerId, target.InstalledSetId is { } installed ? releases[installed] : null, target.InstalledAt,
                target.LastPollAt, updates.FirstOrDefault(u => !Feedback.IsFinal(u.Status)), [.. updates.Where(u => Feedback.IsFinal(u.Status)).Take(20)], reported));
        }
        return new CarSoftwareResponse(vin, await preferences.PreferencesAsync(vin, cancellationToken), views);
    }

    public async Task<Refusal?> SetPreferenceAsync(string vin, string? updateKind, string? decision, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (updateKind is null || !UpdateKinds.All.Contains(updateKind))
        {
            errors.Add("updateKind", $"One of {string.Join(", ", UpdateKinds.All)}.");
        }
        if (decision is null || !OwnerChoices.Decisions.Contains(decision))
        {
            errors.Add("decision", $"One of {string.Join(", ", OwnerChoices.Decisions)}.");
        }
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        await preferences.SetPreferenceAsync(vin, updateKind!, decision!, time.GetUtcNow(), cancellationToken);
        return null;
    }

    public Task<Refusal?> AcceptAsync(string vin, DateTimeOffset since, long actionId, CancellationToken cancellationToken) =>
        ChooseAsync(vin, since, actionId, OwnerChoices.Accepted, null, cancellationToken);

    public Task<Refusal?> PostponeAsync(string vin, DateTimeOffset since, long actionId, int days, CancellationToken cancellationToken) =>
        days is < 1 or > 30
            ? Task.FromResult<Refusal?>(Refusal.Invalid("days", "1 to 30 days."))
            : ChooseAsync(vin, since, actionId, OwnerChoices.Postponed, time.GetUtcNow().AddDays(days), cancellationToken);

    private async Task<Refusal?> ChooseAsync(string vin, DateTimeOffset since, long actionId, string choice, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        // An action of another car, or from before the caller had this one, reads as absent.
        if (await actions.FindAsync(actionId, cancellationToken) is not { } action || action.CreatedAt < since
            || !(await targets.OfCarAsync(vin, cancellationToken)).Any(t => t.ControllerId == action.ControllerId))
        {
            return Refusal.NotFound("No such update for this car.");
        }
        if (choice == OwnerChoices.Postponed && action.Type == ActionTypes.Forced)
        {
            return Refusal.Conflict(SoftwareUpdateErrorCodes.UpdateForced, "The update is mandatory; it cannot be postponed.");
        }
        return action.Active && action.Status != ActionStatuses.Canceling
            && await preferences.ChooseAsync(action, choice, until, time.GetUtcNow(), cancellationToken)
            ? null
            : Refusal.Conflict(SoftwareUpdateErrorCodes.UpdateNotOpen, "The update is no longer on offer.");
    }

    private static UpdateView View(UpdateAction a, Dictionary<string, ReleaseView> releases) =>
        new(a.Id, releases[a.SetId], a.Type, a.Status, a.CreatedAt, a.UpdatedAt);
}
