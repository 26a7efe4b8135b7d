namespace Pitwall.Server.Features.Vehicles;

/// <summary>What other features may ask of the vehicles feature about a registered car (they never use its store).</summary>
public interface IVehicleDirectory
{
    Task<Vehicle?> FindAsync(string vin, CancellationToken cancellationToken);

    /// <summary>The account of the vehicle's primary user, or null when it has none.</summary>
    Task<string?> PrimaryUserAsync(string vin, CancellationToken cancellationToken);
}
