using System.Data.Common;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>
/// Car Security for the car's owner (E1, E3, B4), past the vehicle-service gate: reporting a theft (a case opens, or without
/// Car Security the theft is noted), saying a car stolen without Car Security is back, and switching trigger reasons off for a
/// time or on again. A new owner starts with every trigger reason on.
/// </summary>
public sealed class OwnerCarSecurity(
    TheftCaseStore store, TheftConfiguration configuration, TheftCaseOpening opening, IEntitlements entitlements, UncoveredThefts uncovered,
    ITheftStatus theft, IOptions<CarSecurityOptions> options, TimeProvider time)
    : IVehicleAccessListener
{
    /// <summary>
    /// The owner (the primary user, past the vehicle-service gate) reports a theft from the app: a case opens and the car is
    /// asked to track. Without Car Security nobody tracks the car, but the theft is noted (B4: the package cannot be bought for
    /// it) until the owner says the car is back.
    /// </summary>
    public async Task<(TheftCase? Case, UncoveredTheft? Uncovered, Refusal? Refusal)> ReportTheftAsync(
        string accountId, string vin, string? circumstances, CancellationToken cancellationToken)
    {
        if (circumstances is { Length: > 4000 })
        {
            return (null, null, Refusal.Invalid("circumstances", "At most 4000 characters."));
        }
        if (!await entitlements.IsEntitledAsync(vin, ServiceIds.CarSecurity, cancellationToken))
        {
            return (null, await uncovered.NoteOwnerReportAsync(vin, time.GetUtcNow(), cancellationToken), null);
        }
        var (opened, refusal) = await opening.OpenAsync(vin, CaseSources.Owner, new Actor(accountId, Roles.Owner), accountId, null, null,
            string.IsNullOrWhiteSpace(circumstances) ? null : circumstances.Trim(), "The owner reported the car stolen.", cancellationToken);
        return (opened, null, refusal);
    }

    /// <summary>The owner (the primary user, past the gate) says a car they reported stolen without Car Security is back (B4: the
    /// package may be bought again).</summary>
    public async Task<(UncoveredTheft? Uncovered, Refusal? Refusal)> RecoveredWithoutCarSecurityAsync(string vin, string id, CancellationToken cancellationToken) =>
        await uncovered.EndOwnerReportAsync(vin, id, time.GetUtcNow(), cancellationToken) switch
        {
            null => (null, new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The car has no such theft.")),
            { Source: CaseSources.Car, Ongoing: true } => (null, new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.EndedByTheCar,
                "The car noticed this theft itself: it ends when the car leaves theft mode (open it with its key).")),
            var ended => (ended, null),
        };


    /// <summary>E1: switches one trigger reason off until a time (never all of them at once), or on again (the primary user of a car
    /// with Car Security, past the vehicle-service gate).</summary>
    public async Task<(CarSecurityResponse? Settings, Refusal? Refusal)> SetTriggerAsync(
        string vin, string reason, DateTimeOffset? suspendedUntil, CancellationToken cancellationToken)
    {
        if (!TheftReasons.Switchable.Contains(reason))
        {
            return (null, new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No such trigger reason; one of: {string.Join(", ", TheftReasons.Switchable)}."));
        }
        var now = time.GetUtcNow();
        if (suspendedUntil is { } until && (until <= now || until > now + options.Value.MaxSuspension))
        {
            return (null, Refusal.Invalid("suspendedUntil", $"A time in the next {options.Value.MaxSuspension.TotalDays:0} days, or null to switch the reason on."));
        }
        var refused = await configuration.ChangeAsync(vin, async (c, t) =>
        {
            var (suspended, interval) = await TheftCaseStore.SettingsAsync(c, t, vin);
            foreach (var expired in suspended.Where(s => s.Value <= now).Select(s => s.Key).ToList())
            {
                suspended.Remove(expired);
            }
            if (suspendedUntil is { } u)
            {
                suspended[reason] = u;
            }
            else
            {
                suspended.Remove(reason);
            }
            if (TheftReasons.Switchable.All(suspended.ContainsKey))
            {
                return (bool?)null; // refused: nothing saved, nothing sent
            }
            await TheftCaseStore.SaveSettingsAsync(c, t, vin, suspended, interval, now);
            return true;
        }, CancellationToken.None) is null;
        return refused
            ? (null, new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.CarSecurityAlwaysOn,
                "Car Security cannot be switched off as a whole: at least one trigger reason stays on."))
            : (await SettingsAsync(vin, cancellationToken), null);
    }

    public async Task<CarSecurityResponse> SettingsAsync(string vin, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (suspended, _) = await store.SettingsAsync(vin, cancellationToken);
        var health = await store.HealthCheckAsync(vin, cancellationToken);
        return new CarSecurityResponse(
            TheftReasons.Switchable.Select(r => suspended.TryGetValue(r, out var until) && until > now
                ? new TriggerResponse(r, false, until)
                : new TriggerResponse(r, true, null)).ToList(),
            health?.LastCheckAt, health?.Missed == true,
            await theft.IsStolenAsync(vin, cancellationToken));
    }

    /// <summary>A new owner starts with every trigger reason on; the cases stay (legal obligation) with their owner at the time.
    /// Thefts without Car Security that ended go with the old owner; one that lasts stays with the car (B4).</summary>
    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        if (accountId is null)
        {
            await TheftCaseStore.DeleteSettingsAsync(connection, transaction, vin);
            await UncoveredThefts.DeleteEndedAsync(connection, transaction, vin);
        }
    }
}
