using Pitwall.Protocol;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>
/// Which third-party scope (<see cref="Scopes.ThirdParty"/>) a use of a vehicle service needs: reading a service's stored data or
/// asking the car for fresh data is its <c>read_…</c>, changing it or a remote command its <c>control_…</c>. A use not listed here
/// is not open to third-party apps at all (the car's users, its contracts, thefts, geofences, software); a route that belongs to
/// the vehicle rather than to a service opens itself with <see cref="VehicleServiceFilter.OpenToApps{TBuilder}"/>.
/// </summary>
internal static class AppScopes
{
    public static string? For(string? service, ServiceUse use)
    {
        var read = use == ServiceUse.Read || use == ServiceUse.DataRequest;
        return (service, read) switch
        {
            (ServiceIds.CarControl, true) => Scopes.ReadVehicleInfo,
            (ServiceIds.CarFinder, true) => Scopes.ReadLocation,
            (ServiceIds.EControl or ServiceIds.Charging, true) => Scopes.ReadCharge,
            (ServiceIds.EControl, false) => Scopes.ControlCharge,
            (ServiceIds.Climate, true) => Scopes.ReadClimate,
            (ServiceIds.Climate, false) => Scopes.ControlClimate,
            (ServiceIds.RemoteLock or ServiceIds.RemoteHornAndLights, false) => Scopes.ControlSecurity,
            (ServiceIds.TripControl, true) => Scopes.ReadTrips,
            (ServiceIds.Maintenance, true) => Scopes.ReadHealth,
            _ => null,
        };
    }
}

/// <summary>Endpoint metadata: a route of the vehicle itself that third-party apps may use with this scope.</summary>
internal sealed record AppScopeMetadata(string Scope);
