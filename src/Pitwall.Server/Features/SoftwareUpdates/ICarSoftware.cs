using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// The car's software as its users see and steer it (F3), for the API and the portal's owner page: what each updatable part
/// runs, the update on offer and the past ones; the owner's preference per kind of update (install automatically, ask, never),
/// which the offer to the car carries; and the answer to one offered update (install now, or later). The caller has passed
/// the vehicle-service gate; <c>since</c> is when the account got the car (it sees nothing from before).
/// </summary>
public interface ICarSoftware
{
    Task<CarSoftwareResponse> StateAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken);

    /// <param name="decision">automatic, ask or never; a forced update is installed whatever the preference says.</param>
    Task<Refusal?> SetPreferenceAsync(string vin, string? updateKind, string? decision, CancellationToken cancellationToken);

    /// <summary>The owner agrees to the open update: the car installs it at its next poll without asking the driver.</summary>
    Task<Refusal?> AcceptAsync(string vin, DateTimeOffset since, long actionId, CancellationToken cancellationToken);

    /// <summary>Not now: the car is not offered the update for <paramref name="days"/> (1–30) days; a forced one cannot wait.</summary>
    Task<Refusal?> PostponeAsync(string vin, DateTimeOffset since, long actionId, int days, CancellationToken cancellationToken);
}

/// <summary>A release as the car's users see it.</summary>
public sealed record ReleaseView(string Name, string Version, string UpdateKind);

/// <param name="Type">soft (optional for the driver) or forced.</param>
/// <param name="OwnerChoice">accepted or postponed when a user of the car answered the offer; else null.</param>
/// <param name="PostponedUntil">With postponed: when the car is offered the update again.</param>
public sealed record UpdateView(
    long ActionId, ReleaseView Release, string Type, string Status, DateTimeOffset AssignedAt, DateTimeOffset UpdatedAt, string? OwnerChoice = null,
    DateTimeOffset? PostponedUntil = null);

/// <summary>One updatable part of the car (its controller id), what it runs and its updates, newest first.</summary>
/// <param name="Reported">What each component runs as the car last signed it (its vehicle manifest), and when; null without one since
/// the caller has the car.</param>
public sealed record CarTargetView(
    string ControllerId, ReleaseView? Installed, DateTimeOffset? InstalledAt, DateTimeOffset? LastPollAt, UpdateView? Open, IReadOnlyList<UpdateView> History,
    ReportedSoftwareView? Reported = null);

/// <summary>The car's latest signed vehicle manifest as its users read it.</summary>
public sealed record ReportedSoftwareView(DateTimeOffset SignedAt, IReadOnlyList<ReportedComponentView> Components);

/// <param name="Preferences">Per update kind (security, feature, maintenance): automatic, ask or never.</param>
public sealed record CarSoftwareResponse(string Vin, IReadOnlyDictionary<string, string> Preferences, IReadOnlyList<CarTargetView> Targets);

/// <param name="UpdateKind">security, feature or maintenance.</param>
/// <param name="Decision">automatic, ask or never.</param>
internal sealed record PreferenceRequest(string? UpdateKind, string? Decision);

/// <param name="Days">1 to 30; default 1.</param>
internal sealed record PostponeRequest(int? Days);
