using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.UsageStatistics;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>An account's access to a vehicle: its role and since when it has it (it sees what happened from then on).</summary>
public sealed record VehicleGrant(string Vin, VehicleRole Role, DateTimeOffset Since);

/// <summary>
/// The one gate every use of a vehicle service passes (DESIGN §3.4a), for the API (<see cref="VehicleServiceFilter"/>) and the
/// portal (<c>VehiclePage</c>) alike, always in this order: access (another account's car, or for a third-party app a car
/// outside the owner's consent, reads as absent, 404 <c>vehicle_not_found</c>) → the consent's scope for a third-party app (403
/// <c>insufficient_scope</c>) → role (403 <c>forbidden_for_role</c>) → the car's packages (403 <c>not_entitled</c>) → the car's
/// privacy switches (409 <c>privacy_mode</c>, <c>service_disabled</c>, <c>remote_access_disabled</c>) → the use is counted for
/// the anonymous usage statistics (C8) under the channel it came through. Features write none of these checks themselves.
/// </summary>
/// <remarks>It lives with the vehicles because it is the vehicle-access rule grown to services; Hosting knows no feature.</remarks>
public sealed class VehicleServiceGate(IVehicleAccess access, IEntitlements entitlements, IServiceAccess switches, UsageStatistics.UsageStatistics usage)
{
    /// <param name="service">The service used; null for what belongs to the vehicle rather than to a service (access and role only).</param>
    /// <param name="countAs">The channel to count the use under; null for what is not another use (a page's live refresh).</param>
    /// <param name="consent">A third-party app's token: the cars its owner consented to with their scopes, and the scope this use
    /// needs (null: not open to apps). A car outside the consent reads as absent (404), a scope outside it is refused (403).</param>
    public async Task<(VehicleGrant? Grant, Refusal? Refusal)> EnterAsync(
        string accountId, string vin, string? service, ServiceUse use, UsageChannel? countAs, CancellationToken cancellationToken,
        (IReadOnlyDictionary<string, IReadOnlySet<string>> Vehicles, string? Scope)? consent = null)
    {
        if (await access.GrantAsync(accountId, Vin.Normalize(vin), cancellationToken) is not { } grant)
        {
            return (null, Refusal.VehicleNotFound);
        }
        if (consent is var (vehicles, scope))
        {
            if (!vehicles.TryGetValue(grant.Vin, out var scopes))
            {
                return (null, Refusal.VehicleNotFound);
            }
            if (scope is null || !scopes.Contains(scope))
            {
                return (null, NotConsented);
            }
        }
        return await CheckAsync(grant, service, use, countAs, cancellationToken) is { } refusal ? (null, refusal) : (grant, null);
    }

    private static readonly Refusal NotConsented = new(StatusCodes.Status403Forbidden, ErrorCodes.InsufficientScope,
        "The owner has not given this app this use of the car.");

    /// <summary>The checks after access, for a caller that has read the grant already (the portal's pages).</summary>
    public async Task<Refusal?> CheckAsync(VehicleGrant grant, string? service, ServiceUse use, UsageChannel? countAs, CancellationToken cancellationToken)
    {
        if (use.PrimaryUserOnly && grant.Role != VehicleRole.Primary)
        {
            return Refusal.PrimaryOnly;
        }
        if (service is null)
        {
            return null;
        }
        if (!await entitlements.IsEntitledAsync(grant.Vin, service, cancellationToken))
        {
            return Refusal.NotEntitled(service);
        }
        var verdict = use.Switches switch
        {
            CarSwitches.Service => await switches.ForServiceAsync(grant.Vin, service, cancellationToken),
            CarSwitches.RemoteControl => await switches.ForRemoteControlAsync(grant.Vin, service, cancellationToken),
            CarSwitches.DataRequest => await switches.ForDataRequestAsync(grant.Vin, cancellationToken),
            _ => new ServiceVerdict(ServiceVerdictKind.Allowed, service),
        };
        if (!verdict.Allowed)
        {
            return Refusal.Conflict(verdict.Code!, verdict.Detail!);
        }
        if (countAs is { } channel)
        {
            usage.Record(service, channel);
        }
        return null;
    }
}
