using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.ChargingAndClimate;

/// <summary><c>/api/v1/vehicles/{vin}/charging</c> and <c>/climate</c>: the last known state; changes go through commands.</summary>
internal static class ChargingAndClimateEndpoints
{
    public static void MapChargingAndClimateEndpoints(this IEndpointRouteBuilder routes)
    {
        var vehicle = routes.MapGroup("/api/v1/vehicles/{vin}").WithTags("Charging and climate").RequireAuthorization(Scopes.ReadVehicle);
        vehicle.MapGet("/charging", Charging).RequireVehicleService(ServiceIds.EControl, ServiceUse.Read)
            .WithSummary("E-Control: state of charge, charging state and mode, plug, remaining time, target, electric range, charge timers.");
        vehicle.MapGet("/climate", Climate).RequireVehicleService(ServiceIds.Climate, ServiceUse.Read).WithSummary("Climate: running or not, temperatures, remaining time, zones, climate timers.");
    }

    private static async Task<Ok<ChargingResponse>> Charging(CurrentVehicle car, ChargingAndClimateReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.ChargingAsync(car.Vin, cancellationToken));

    private static async Task<Ok<ClimateResponse>> Climate(CurrentVehicle car, ChargingAndClimateReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.ClimateAsync(car.Vin, cancellationToken));
}
