using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Trips;

/// <summary><c>/api/v1/vehicles/{vin}/trips</c>: the stored statistics; it never contacts the car.</summary>
internal static class TripsEndpoints
{
    public static void MapTripsEndpoints(this IEndpointRouteBuilder routes)
    {
        var vehicle = routes.MapGroup("/api/v1/vehicles/{vin}").WithTags("Trip Control").RequireAuthorization(Scopes.ReadVehicle);
        vehicle.MapGet("/trips", Trips).RequireVehicleService(ServiceIds.TripControl, ServiceUse.Read)
            .WithSummary("Trip Control: short-term (since the last engine stop) and long-term (since the last reset) duration, distance, average speed and consumption.");
    }

    private static async Task<Ok<TripsResponse>> Trips(CurrentVehicle car, TripsReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.ReadAsync(car.Vin, cancellationToken));
}
