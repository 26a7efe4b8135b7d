using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Contracts;

/// <summary>The read endpoints of every vehicle service ask the same three things first; here, once.</summary>
public static class EntitledReads
{
    /// <summary>Reads for one of the caller's vehicles (404 for any other) whose packages cover the service, and counts the use (C8).</summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> ForMyVehicleAsync<T>(
        string vin, ClaimsPrincipal user, IVehicleAccess access, IEntitlements entitlements, UsageStatistics.UsageStatistics usage, string service,
        Func<string, Task<T>> read, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await access.RoleOfAsync(user.AccountIdOf(), vin, cancellationToken) is null)
        {
            return VehicleEndpoints.NotFound();
        }
        return await EntitledAsync(vin, entitlements, usage, service, () => read(vin), cancellationToken);
    }

    /// <summary>As <see cref="ForMyVehicleAsync{T}"/> for what happened since the caller got access to the vehicle: the
    /// read gets that time (the same row tells whether the vehicle is the caller's).</summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> SinceMyAccessAsync<T>(
        string vin, ClaimsPrincipal user, IVehicleAccess access, IEntitlements entitlements, UsageStatistics.UsageStatistics usage, string service,
        Func<string, DateTimeOffset, Task<T>> read, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await access.AccessSinceAsync(user.AccountIdOf(), vin, cancellationToken) is not { } since)
        {
            return VehicleEndpoints.NotFound();
        }
        return await EntitledAsync(vin, entitlements, usage, service, () => read(vin, since), cancellationToken);
    }

    private static async Task<Results<Ok<T>, ProblemHttpResult>> EntitledAsync<T>(
        string vin, IEntitlements entitlements, UsageStatistics.UsageStatistics usage, string service, Func<Task<T>> read,
        CancellationToken cancellationToken)
    {
        if (!await entitlements.IsEntitledAsync(vin, service, cancellationToken))
        {
            return NotEntitled(service);
        }
        usage.Record(service, UsageStatistics.UsageChannel.App);
        return TypedResults.Ok(await read());
    }

    public static ProblemHttpResult NotEntitled(string service) =>
        ApiProblems.Create(StatusCodes.Status403Forbidden, ErrorCodes.NotEntitled, $"The vehicle's packages do not cover the service {service}.");
}
