namespace Pitwall.Server.Features.Vehicles;

/// <summary>
/// Which vehicles an account may use. Every vehicle endpoint asks this first; an account without access gets the
/// same 404 as for a VIN that does not exist.
/// </summary>
public interface IVehicleAccess
{
    Task<VehicleRole?> RoleOfAsync(string accountId, string vin, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> VinsOfAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>When the account got its current access to the vehicle; null without access.</summary>
    Task<DateTimeOffset?> AccessSinceAsync(string accountId, string vin, CancellationToken cancellationToken);

    /// <summary>One of the account's vehicles, with the account's role and since when it has had this access; null for a VIN
    /// that is not among them.</summary>
    Task<(Vehicle Vehicle, VehicleRole Role, DateTimeOffset AccessSince)?> MineAsync(string accountId, string vin, CancellationToken cancellationToken);

    /// <summary>The account's role in the vehicle and since when it has it, in one read; null without access.</summary>
    Task<VehicleGrant?> GrantAsync(string accountId, string vin, CancellationToken cancellationToken);

    /// <summary>The accounts that use the vehicle (owner and drivers), read in the caller's transaction.</summary>
    Task<IReadOnlyList<string>> UsersOfAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string vin);
}

/// <summary>
/// Told, inside the same transaction, that access to a vehicle ended: for everyone (unpairing, accountId
/// null) or for one driver. Features drop or withdraw what they kept or queued for those users.
/// </summary>
public interface IVehicleAccessListener
{
    Task OnAccessEndedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string vin, string? accountId);

    /// <summary>Told, inside the same transaction, that an account got access to a vehicle (paired as its primary user, or
    /// added as a driver). Most features keep nothing from before, so the default does nothing.</summary>
    Task OnAccessGrantedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string vin, string accountId, VehicleRole role) =>
        Task.CompletedTask;
}

/// <summary>Told, inside the registration's transaction, that a vehicle was registered (e.g. to add what comes with it).</summary>
public interface IVehicleRegistrationListener
{
    Task OnRegisteredAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Vehicle vehicle);
}
