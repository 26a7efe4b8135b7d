using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.LocationAlarm;

/// <summary><c>/api/v1/vehicles/{vin}/geofences</c>: the location alarm's areas and the history of crossings.</summary>
internal static class LocationAlarmEndpoints
{
    public static void MapLocationAlarmEndpoints(this IEndpointRouteBuilder routes)
    {
        var geofences = routes.MapGroup("/api/v1/vehicles/{vin}/geofences").WithTags("Location alarm");
        geofences.MapGet("/", List).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.LocationAlarm, ServiceUse.Read)
            .WithSummary("The car's areas (at most four), each with whether the car has confirmed it.");
        geofences.MapPost("/", Create).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.LocationAlarm, ServiceUse.PrimaryOnly)
            .WithSummary("Add an area (primary user); it is sent to the car at once. A fifth area is refused with geofence_limit.");
        geofences.MapGet("/events", Events).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.LocationAlarm, ServiceUse.Read)
            .WithSummary("The history of crossings, newest first; page with before = nextBefore.");
        geofences.MapGet("/{id}", Get).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.LocationAlarm, ServiceUse.Read)
            .WithSummary("One area.");
        geofences.MapPut("/{id}", Replace).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.LocationAlarm, ServiceUse.PrimaryOnly)
            .WithSummary("Replace an area (primary user).");
        geofences.MapPatch("/{id}", Patch).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.LocationAlarm, ServiceUse.PrimaryOnly)
            .WithSummary("Change some fields of an area (JSON merge patch; null removes activeHours).");
        geofences.MapDelete("/{id}", Delete).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.LocationAlarm, ServiceUse.PrimaryOnly)
            .WithSummary("Delete an area (primary user); the car is told.");
    }

    private static async Task<Ok<IReadOnlyList<GeofenceResponse>>> List(CurrentVehicle car, GeofenceService geofences, CancellationToken cancellationToken) =>
        TypedResults.Ok(await geofences.ListAsync(car.Vin, cancellationToken));

    private static async Task<Results<Ok<GeofenceResponse>, ProblemHttpResult>> Get(
        string id, CurrentVehicle car, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (geofence, refusal) = await geofences.GetAsync(car.Vin, id, cancellationToken);
        return refusal is null ? TypedResults.Ok(geofence!) : ApiProblems.Problem(refusal);
    }

    private static async Task<Results<Created<GeofenceResponse>, ValidationProblem, ProblemHttpResult>> Create(
        GeofenceRequest request, CurrentVehicle car, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (geofence, refusal) = await geofences.CreateAsync(car.Vin, request, cancellationToken);
        return refusal is null
            ? TypedResults.Created($"/api/v1/vehicles/{car.Vin}/geofences/{geofence!.Id}", geofence)
            : ApiProblems.Refused<Created<GeofenceResponse>>(refusal);
    }

    private static async Task<Results<Ok<GeofenceResponse>, ValidationProblem, ProblemHttpResult>> Replace(
        string id, GeofenceRequest request, CurrentVehicle car, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (geofence, refusal) = await geofences.ReplaceAsync(car.Vin, id, request, cancellationToken);
        return ApiProblems.OkOr(geofence, refusal);
    }

    private static async Task<Results<Ok<GeofenceResponse>, ValidationProblem, ProblemHttpResult>> Patch(
        string id, JsonObject patch, CurrentVehicle car, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (geofence, refusal) = await geofences.PatchAsync(car.Vin, id, patch, cancellationToken);
        return ApiProblems.OkOr(geofence, refusal);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, CurrentVehicle car, GeofenceService geofences, CancellationToken cancellationToken) =>
        await geofences.DeleteAsync(car.Vin, id, cancellationToken) is { } refusal ? ApiProblems.Problem(refusal) : TypedResults.NoContent();

    private static async Task<Ok<GeofenceEventPage>> Events(
        string? before, int? limit, CurrentVehicle car, GeofenceService geofences, CancellationToken cancellationToken) =>
        TypedResults.Ok(await geofences.EventsAsync(car.Vin, car.Since, before, limit, cancellationToken));
}
