using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Status;

/// <summary>Car Control and Car Finder: <c>/status</c>, <c>/location</c>, refresh, and the position behind an access key.</summary>
internal static class StatusEndpoints
{
    public const string RefreshRateLimit = "status-refresh";

    public static void MapStatusEndpoints(this IEndpointRouteBuilder routes)
    {
        var vehicle = routes.MapGroup("/api/v1/vehicles/{vin}").WithTags("Vehicle status").RequireAuthorization(Scopes.ReadVehicle);
        vehicle.MapGet("/status", Status).RequireVehicleService(ServiceIds.CarControl, ServiceUse.Read)
            .WithSummary("Car Control: the latest value of every signal, with unit, time, or why it is missing.");
        vehicle.MapGet("/location", Location).RequireVehicleService(ServiceIds.CarFinder, ServiceUse.Read).WithSummary("Car Finder: the car's latest position.");
        vehicle.MapPost("/status/refresh", Refresh)
            .RequireSharedRateLimit(RefreshRateLimit, RefreshPartition, RefreshLimit, TimeSpan.FromMinutes(1))
            .RequireVehicleService(ServiceIds.CarControl, ServiceUse.DataRequest)
            .WithSummary("Ask the car for fresh data; answers when the car replies, or vehicle_offline after a timeout.");
        routes.MapGet("/api/v1/access/position", PositionByKey).AllowAnonymous().WithTags("Vehicle status")
            .WithSummary("The position a map_position access key opens; no VIN, no name.");
    }

    /// <summary>Refreshes count per account and car, over every instance.</summary>
    private static string RefreshPartition(HttpContext context) =>
        $"{context.User.FindFirst(PitwallClaims.AccountId)?.Value}:{Vin.Normalize(context.Request.RouteValues["vin"]?.ToString() ?? "")}";

    private static int RefreshLimit(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<StatusOptions>>().Value.RefreshesPerMinute;

    private static async Task<Ok<StatusResponse>> Status(CurrentVehicle car, StatusReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.StatusAsync(car.Vin, cancellationToken));

    private static async Task<Ok<LocationResponse>> Location(CurrentVehicle car, StatusReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.LocationAsync(car.Vin, cancellationToken));

    private static async Task<Results<Ok<StatusResponse>, ProblemHttpResult>> Refresh(
        CurrentVehicle car, HttpContext context, StatusRefresher refresher, StatusReader reader, CancellationToken cancellationToken)
    {
        if (!await refresher.RefreshAsync(car.Vin, cancellationToken))
        {
            context.Response.Headers.RetryAfter = "60";
            return ApiProblems.Create(StatusCodes.Status503ServiceUnavailable, StatusErrorCodes.VehicleOffline,
                $"The car did not answer within {refresher.Timeout.TotalSeconds:0} seconds.");
        }
        return TypedResults.Ok(await reader.StatusAsync(car.Vin, cancellationToken));
    }

    private static async Task<Results<Ok<LocationResponse>, ProblemHttpResult>> PositionByKey(
        string? key, AccessKeys keys, StatusReader reader, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || await keys.ResolveAsync(key, AccessKeys.MapPosition, cancellationToken) is not { } vin)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, VehicleErrorCodes.AccessKeyInvalid, "The key is unknown, expired or for another purpose.");
        }
        return TypedResults.Ok(await reader.LocationAsync(vin, cancellationToken));
    }
}
