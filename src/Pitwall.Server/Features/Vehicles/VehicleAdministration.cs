using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>One registered vehicle as administrators list it.</summary>
public sealed record AdminVehicleResponse(
    string Vin, string Model, int ModelYear, string? Colour, string? RegistrationNumber, DateTimeOffset RegisteredAt, bool Online);

/// <summary>A page of the administrators' vehicle search: <paramref name="Total"/> vehicles match in all.</summary>
public sealed record AdminVehiclePage(IReadOnlyList<AdminVehicleResponse> Vehicles, int Page, int PageSize, int Total)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>A person who may use the vehicle, and since when.</summary>
public sealed record AdminVehicleUser(string AccountId, string Name, string Email, string Role, DateTimeOffset Since);

/// <summary>Everything administrators need to help with one car: registration, who paired it, its link and software.</summary>
public sealed record AdminVehicleDetail(
    AdminVehicleResponse Vehicle,
    IReadOnlyList<AdminVehicleUser> Users,
    DateTimeOffset? LastSeenAt,
    int? ProtocolVersion,
    IReadOnlyList<AdminSoftwareVersion> Software);

public sealed record AdminSoftwareVersion(string Component, string Version);

/// <summary>The administrators' view of the registry: search with pagination and one car's detail.</summary>
public sealed class VehicleAdministration(VehicleStore store, IAccountDirectory accounts, IVehicleLink link)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 200;

    /// <param name="page">1-based; pages past the end are empty.</param>
    public async Task<AdminVehiclePage> SearchAsync(string? text, int page, int pageSize, CancellationToken cancellationToken)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var (vehicles, total) = await store.SearchAsync(text, (page - 1) * pageSize, pageSize, cancellationToken);
        var online = await link.OnlineAsync([.. vehicles.Select(v => v.Vin)], cancellationToken);
        return new AdminVehiclePage([.. vehicles.Select(v => Summary(v, online.Contains(v.Vin)))], page, pageSize, total);
    }

    /// <returns>Null when no vehicle with this VIN is registered.</returns>
    public async Task<AdminVehicleDetail?> DetailAsync(string vin, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(vin, cancellationToken) is not { } vehicle)
        {
            return null;
        }
        var users = new List<AdminVehicleUser>();
        foreach (var (accountId, role) in await store.UsersOfAsync(vin, cancellationToken))
        {
            if (await accounts.FindAsync(accountId, cancellationToken) is { } account
                && await store.AccessSinceAsync(accountId, vin, cancellationToken) is { } since)
            {
                users.Add(new AdminVehicleUser(accountId, account.Name, account.Email, role == VehicleRole.Primary ? VehicleRoles.Primary : VehicleRoles.Driver, since));
            }
        }
        var info = await link.InfoAsync(vin, cancellationToken);
        return new AdminVehicleDetail(Summary(vehicle, info?.Online == true), users, info?.LastSeenAt, info?.ProtocolVersion,
            [.. (info?.Software ?? []).Select(s => new AdminSoftwareVersion(s.Component, s.Version))]);
    }

    private static AdminVehicleResponse Summary(Vehicle v, bool online) =>
        new(v.Vin, v.Model, v.ModelYear, v.Colour, v.RegistrationNumber, v.CreatedAt, online);
}
