namespace Pitwall.Server.Features.Vehicles;

/// <summary>
/// Which vehicles an account may use. Every vehicle endpoint asks this first; an account without access gets the
/// same 404 as for a VIN that does not exist.
/// </summary>
public interface IVehicleAccess
{
    Task<VehicleRole?> RoleOfAsync(string accountId, string vin, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> VinsOfAsync(string accountId, CancellationToken cancellationToken);
}

/// <summary>Told, inside the unpairing transaction, that a vehicle lost all its users; features drop what they kept for them.</summary>
public interface IVehicleUnpairedListener
{
    Task OnUnpairedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string vin);
}
