using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.ChargingAndClimate;

/// <summary><c>/api/v1/vehicles/{vin}/charging</c> and <c>/climate</c>: the last known state; changes go through commands.</summary>
internal static class ChargingAndClimateEndpoints
{
    public static void MapChargingAndClimateEndpoints(this IEndpointRouteBuilder routes)
    {
        var vehicle = routes.MapGroup("/api/v1/vehicles/{vin}").WithTags("Charging and climate").RequireAuthorization(Scopes.ReadVehicle);
        vehicle.MapGet("/charging", Charging)
            .WithSummary("E-Control: state of charge, charging state and mode, plug, remaining time, target, electric range, charge timers.");
        vehicle.MapGet("/climate", Climate).WithSummary("Climate: running or not, temperatures, remaining time, zones, climate timers.");
    }

    private static Task<Results<Ok<ChargingResponse>, ProblemHttpResult>> Charging(
        string vin, ClaimsPrincipal user, IVehicleAccess access, IEntitlements entitlements, ChargingAndClimateReader reader,
        UsageStatistics.UsageStatistics usage, CancellationToken cancellationToken) =>
        EntitledReads.ForMyVehicleAsync(vin, user, access, entitlements, usage, ServiceIds.EControl, v => reader.ChargingAsync(v, cancellationToken),
            cancellationToken);

    private static Task<Results<Ok<ClimateResponse>, ProblemHttpResult>> Climate(
        string vin, ClaimsPrincipal user, IVehicleAccess access, IEntitlements entitlements, ChargingAndClimateReader reader,
        UsageStatistics.UsageStatistics usage, CancellationToken cancellationToken) =>
        EntitledReads.ForMyVehicleAsync(vin, user, access, entitlements, usage, ServiceIds.Climate, v => reader.ClimateAsync(v, cancellationToken),
            cancellationToken);
}
