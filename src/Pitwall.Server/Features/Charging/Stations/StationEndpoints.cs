using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Charging.Stations;

/// <summary><c>GET /api/v1/vehicles/{vin}/charging-stations?bbox=west,south,east,north</c>: the public stations in a map area with each
/// EVSE's availability, for a remote start (<c>…/charging-commands</c>, <c>start_session</c> with the EVSE ID).</summary>
internal static class StationEndpoints
{
    public const int MaxStations = 200;

    public static void MapStationEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/vehicles/{vin}/charging-stations", InBox).WithTags("Charging Service").RequireAuthorization(Scopes.ReadVehicle)
            .RequireVehicleService(ServiceIds.Charging, ServiceUse.Read)
            .WithSummary("Public charging stations in a map area (bbox=west,south,east,north in decimal degrees, at most 1° wide; without it, " +
                         "the middle of the stations), nearest to the area's centre first, with each EVSE's status as its operator pushed it last.");

    private static async Task<Results<Ok<IReadOnlyList<ChargingStationResponse>>, ValidationProblem, ProblemHttpResult>> InBox(
        string? bbox, int? limit, IChargingStations stations, CancellationToken cancellationToken)
    {
        var box = bbox is null ? await stations.DefaultBoxAsync(cancellationToken) : GeoBox.Parse(bbox, GeoBox.MaxDegrees);
        if (bbox is not null && box is null)
        {
            return ApiProblems.Refused<Ok<IReadOnlyList<ChargingStationResponse>>>(Refusal.Invalid("bbox",
                $"west,south,east,north in decimal degrees, south below north, west below east, at most {GeoBox.MaxDegrees}° wide and high."));
        }
        if (limit is < 1 or > MaxStations)
        {
            return ApiProblems.Refused<Ok<IReadOnlyList<ChargingStationResponse>>>(Refusal.Invalid("limit", $"From 1 to {MaxStations}."));
        }
        return TypedResults.Ok(box is null ? [] : await stations.InBoxAsync(box, limit ?? 100, cancellationToken));
    }
}
