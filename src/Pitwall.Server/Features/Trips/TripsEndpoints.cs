using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Trips;

/// <summary><c>/api/v1/vehicles/{vin}/trips</c>: the stored statistics; it never contacts the car.</summary>
internal static class TripsEndpoints
{
    public static void MapTripsEndpoints(this IEndpointRouteBuilder routes)
    {
        var vehicle = routes.MapGroup("/api/v1/vehicles/{vin}").WithTags("Trip Control").RequireAuthorization(Scopes.ReadVehicle);
        vehicle.MapGet("/trips", Trips)
            .WithSummary("Trip Control: short-term (since the last engine stop) and long-term (since the last reset) duration, distance, average speed and consumption.");
    }

    private static Task<Results<Ok<TripsResponse>, ProblemHttpResult>> Trips(
        string vin, ClaimsPrincipal user, IVehicleAccess access, IEntitlements entitlements, TripsReader reader, UsageStatistics.UsageStatistics usage,
        CancellationToken cancellationToken) =>
        EntitledReads.ForMyVehicleAsync(vin, user, access, entitlements, usage, ServiceIds.TripControl, v => reader.ReadAsync(v, cancellationToken),
            cancellationToken);
}
