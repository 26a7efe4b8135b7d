using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.LocationAlarm;

/// <summary><c>/api/v1/vehicles/{vin}/geofences</c>: the location alarm's areas and the history of crossings.</summary>
internal static class LocationAlarmEndpoints
{
    public static void MapLocationAlarmEndpoints(this IEndpointRouteBuilder routes)
    {
        var geofences = routes.MapGroup("/api/v1/vehicles/{vin}/geofences").WithTags("Location alarm");
        geofences.MapGet("/", List).RequireAuthorization(Scopes.ReadVehicle)
            .WithSummary("The car's areas (at most four), each with whether the car has confirmed it.");
        geofences.MapPost("/", Create).RequireAuthorization(Scopes.ControlVehicle)
            .WithSummary("Add an area (primary user); it is sent to the car at once. A fifth area is refused with geofence_limit.");
        geofences.MapGet("/events", Events).RequireAuthorization(Scopes.ReadVehicle)
            .WithSummary("The history of crossings, newest first; page with before = nextBefore.");
        geofences.MapGet("/{id}", Get).RequireAuthorization(Scopes.ReadVehicle).WithSummary("One area.");
        geofences.MapPut("/{id}", Replace).RequireAuthorization(Scopes.ControlVehicle).WithSummary("Replace an area (primary user).");
        geofences.MapPatch("/{id}", Patch).RequireAuthorization(Scopes.ControlVehicle)
            .WithSummary("Change some fields of an area (JSON merge patch; null removes activeHours).");
        geofences.MapDelete("/{id}", Delete).RequireAuthorization(Scopes.ControlVehicle).WithSummary("Delete an area (primary user); the car is told.");
    }

    private static async Task<Results<Ok<IReadOnlyList<GeofenceResponse>>, ProblemHttpResult>> List(
        string vin, ClaimsPrincipal user, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (list, refusal) = await geofences.ListAsync(user.AccountIdOf(), vin, cancellationToken);
        return refusal is null ? TypedResults.Ok(list!) : ApiProblems.Problem(refusal);
    }

    private static async Task<Results<Ok<GeofenceResponse>, ProblemHttpResult>> Get(
        string vin, string id, ClaimsPrincipal user, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (geofence, refusal) = await geofences.GetAsync(user.AccountIdOf(), vin, id, cancellationToken);
        return refusal is null ? TypedResults.Ok(geofence!) : ApiProblems.Problem(refusal);
    }

    private static async Task<Results<Created<GeofenceResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string vin, GeofenceRequest request, ClaimsPrincipal user, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (geofence, refusal) = await geofences.CreateAsync(user.AccountIdOf(), vin, request, cancellationToken);
        if (refusal is not null)
        {
            return ApiProblems.Refused<Created<GeofenceResponse>>(refusal);
        }
        return TypedResults.Created($"/api/v1/vehicles/{Protocol.Vin.Normalize(vin)}/geofences/{geofence!.Id}", geofence);
    }

    private static async Task<Results<Ok<GeofenceResponse>, ValidationProblem, ProblemHttpResult>> Replace(
        string vin, string id, GeofenceRequest request, ClaimsPrincipal user, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (geofence, refusal) = await geofences.ReplaceAsync(user.AccountIdOf(), vin, id, request, cancellationToken);
        return refusal is null ? TypedResults.Ok(geofence!) : ApiProblems.Refused<Ok<GeofenceResponse>>(refusal);
    }

    private static async Task<Results<Ok<GeofenceResponse>, ValidationProblem, ProblemHttpResult>> Patch(
        string vin, string id, JsonObject patch, ClaimsPrincipal user, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (geofence, refusal) = await geofences.PatchAsync(user.AccountIdOf(), vin, id, patch, cancellationToken);
        return refusal is null ? TypedResults.Ok(geofence!) : ApiProblems.Refused<Ok<GeofenceResponse>>(refusal);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string vin, string id, ClaimsPrincipal user, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var refusal = await geofences.DeleteAsync(user.AccountIdOf(), vin, id, cancellationToken);
        return refusal is null ? TypedResults.NoContent() : ApiProblems.Problem(refusal);
    }

    private static async Task<Results<Ok<GeofenceEventPage>, ProblemHttpResult>> Events(
        string vin, string? before, int? limit, ClaimsPrincipal user, GeofenceService geofences, CancellationToken cancellationToken)
    {
        var (page, refusal) = await geofences.EventsAsync(user.AccountIdOf(), vin, before, limit, cancellationToken);
        return refusal is null ? TypedResults.Ok(page!) : ApiProblems.Problem(refusal);
    }
}
