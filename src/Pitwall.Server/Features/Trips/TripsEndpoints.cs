using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Features.Trips.History;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
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
        vehicle.MapGet("/trips/history", History).RequireVehicleService(ServiceIds.TripControl, ServiceUse.Read)
            .WithSummary("The trip history, kept with the owner's consent: each drive of the last `days` days (1–90, default 90) and the charge level over time.");
        vehicle.MapPut("/trips/history", Keep).RequireVehicleService(ServiceIds.TripControl, ServiceUse.PrimaryChoice)
            .RequireAuthorization(Scopes.ControlPrivacy)
            .WithSummary("Start (`keep: true`, gives the consent) or stop (`keep: false`, withdraws it and deletes the history) keeping the trip history. Primary user only.");
    }

    private static async Task<Results<Ok<TripHistoryResponse>, ValidationProblem>> History(
        CurrentVehicle car, TripHistory history, int? days, CancellationToken cancellationToken)
    {
        if (days is < 1 or > TripHistory.RetentionDays)
        {
            return Invalid("days", $"A number of days from 1 to {TripHistory.RetentionDays}.");
        }
        return TypedResults.Ok(await history.ReadAsync(car.Vin, car.Since, days ?? TripHistory.RetentionDays, cancellationToken));
    }

    private static async Task<Results<Ok<TripHistoryResponse>, ValidationProblem>> Keep(
        CurrentVehicle car, TripHistoryChoice choice, ClaimsPrincipal user, TripHistory history, CancellationToken cancellationToken)
    {
        if (choice.Keep is not { } keep)
        {
            return Invalid("keep", "true to keep the trip history, false to stop and delete it.");
        }
        await history.SetKeptAsync(user.AccountIdOf(), car.Vin, keep, "app", cancellationToken);
        return TypedResults.Ok(await history.ReadAsync(car.Vin, car.Since, TripHistory.RetentionDays, cancellationToken));
    }

    private static async Task<Ok<TripsResponse>> Trips(CurrentVehicle car, TripsReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.ReadAsync(car.Vin, cancellationToken));

    private static ValidationProblem Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return ApiProblems.Validation(errors);
    }
}
