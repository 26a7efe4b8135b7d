namespace Pitwall.Server.Features.Vehicles;

public sealed record Vehicle(string Vin, string Model, int ModelYear, string? Colour, string? RegistrationNumber, DateTimeOffset CreatedAt);

/// <summary>What an account may do with a vehicle (REQUIREMENTS A3).</summary>
public enum VehicleRole
{
    /// <summary>The paired owner: everything, including inviting drivers and unpairing.</summary>
    Primary,
    /// <summary>A secondary user: reads status and location, but manages nobody.</summary>
    Driver,
}

internal static class VehicleRoles
{
    public const string Primary = "primary";
    public const string Driver = "driver";

    public static VehicleRole Parse(string role) => role == Primary ? VehicleRole.Primary : VehicleRole.Driver;
}
