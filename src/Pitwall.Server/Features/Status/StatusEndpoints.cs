using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
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
        vehicle.MapGet("/status", Status).WithSummary("Car Control: the latest value of every signal, with unit, time, or why it is missing.");
        vehicle.MapGet("/location", Location).WithSummary("Car Finder: the car's latest position.");
        vehicle.MapPost("/status/refresh", Refresh).RequireRateLimiting(RefreshRateLimit)
            .WithSummary("Ask the car for fresh data; answers when the car replies, or vehicle_offline after a timeout.");
        routes.MapGet("/api/v1/access/position", PositionByKey).AllowAnonymous().WithTags("Vehicle status")
            .WithSummary("The position a map_position access key opens; no VIN, no name.");
    }

    public static RateLimitPartition<string> RefreshPartition(HttpContext context) =>
        RateLimitPartition.GetFixedWindowLimiter(
            $"{context.User.FindFirst(PitwallClaims.AccountId)?.Value}:{Vin.Normalize(context.Request.RouteValues["vin"]?.ToString() ?? "")}",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = context.RequestServices.GetRequiredService<IOptions<StatusOptions>>().Value.RefreshesPerMinute,
                Window = TimeSpan.FromMinutes(1),
            });

    private static Task<Results<Ok<StatusResponse>, ProblemHttpResult>> Status(
        string vin, ClaimsPrincipal user, IVehicleAccess access, IEntitlements entitlements, StatusReader reader, UsageStatistics.UsageStatistics usage,
        CancellationToken cancellationToken) =>
        EntitledReads.ForMyVehicleAsync(vin, user, access, entitlements, usage, ServiceIds.CarControl, v => reader.StatusAsync(v, cancellationToken), cancellationToken);

    private static Task<Results<Ok<LocationResponse>, ProblemHttpResult>> Location(
        string vin, ClaimsPrincipal user, IVehicleAccess access, IEntitlements entitlements, StatusReader reader, UsageStatistics.UsageStatistics usage,
        CancellationToken cancellationToken) =>
        EntitledReads.ForMyVehicleAsync(vin, user, access, entitlements, usage, ServiceIds.CarFinder, v => reader.LocationAsync(v, cancellationToken), cancellationToken);

    private static async Task<Results<Ok<StatusResponse>, ProblemHttpResult>> Refresh(
        string vin, HttpContext context, IVehicleAccess access, StatusRefresher refresher, StatusReader reader, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await access.RoleOfAsync(context.User.AccountIdOf(), vin, cancellationToken) is null)
        {
            return VehicleEndpoints.NotFound();
        }
        switch (await refresher.RefreshAsync(vin, cancellationToken))
        {
            case RefreshOutcome.NotEntitled:
                return EntitledReads.NotEntitled(ServiceIds.CarControl);
            case RefreshOutcome.PrivateMode:
                return ApiProblems.Create(StatusCodes.Status409Conflict, ErrorCodes.PrivacyMode, "The car is in private mode and shares no data.");
            case RefreshOutcome.TimedOut:
                context.Response.Headers.RetryAfter = "60";
                return ApiProblems.Create(StatusCodes.Status503ServiceUnavailable, ErrorCodes.VehicleOffline,
                    $"The car did not answer within {refresher.Timeout.TotalSeconds:0} seconds.");
        }
        return TypedResults.Ok(await reader.StatusAsync(vin, cancellationToken));
    }

    private static async Task<Results<Ok<LocationResponse>, ProblemHttpResult>> PositionByKey(
        string? key, AccessKeys keys, StatusReader reader, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || await keys.ResolveAsync(key, AccessKeys.MapPosition, cancellationToken) is not { } vin)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, ErrorCodes.AccessKeyInvalid, "The key is unknown, expired or for another purpose.");
        }
        return TypedResults.Ok(await reader.LocationAsync(vin, cancellationToken));
    }
}
