using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary><c>/api/v1/vehicles/{vin}/software</c>: the car's software, update and version state as Pitwall documents it (F3), the
/// owner's preferences per update kind and the answer to an offered update, for the car's users, through the vehicle-service gate.</summary>
internal static class CarSoftwareEndpoints
{
    public static void MapCarSoftwareEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/vehicles/{vin}/software").WithTags("Software updates");
        group.MapGet("", Software).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.SoftwareUpdate, ServiceUse.Read)
            .WithSummary("The car's software: the owner's preferences, and per updatable part the installed release, the open update and the past ones.");
        group.MapPut("/preferences", Preference).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.SoftwareUpdate, ServiceUse.PrimaryOnly)
            .WithSummary("The primary user's choice for one kind of update: install automatically, ask the driver, or never (forced updates install).");
        group.MapPost("/updates/{id}/accept", Accept).RequireAuthorization(Scopes.ControlVehicle)
            .RequireVehicleService(ServiceIds.SoftwareUpdate, ServiceUse.Change)
            .WithSummary("Install the open update: the car installs it at its next poll without asking the driver.");
        group.MapPost("/updates/{id}/postpone", Postpone).RequireAuthorization(Scopes.ControlVehicle)
            .RequireVehicleService(ServiceIds.SoftwareUpdate, ServiceUse.Change)
            .WithSummary("Not now: the car is not offered the update for the given days (a mandatory update cannot wait).");
    }

    private static readonly Refusal NoSuchUpdate = Refusal.NotFound("No such update for this car.");

    private static async Task<Ok<CarSoftwareResponse>> Software(CurrentVehicle car, ICarSoftware software, CancellationToken cancellationToken) =>
        TypedResults.Ok(await software.StateAsync(car.Vin, car.Since, cancellationToken));

    private static async Task<Results<Ok<CarSoftwareResponse>, ValidationProblem, ProblemHttpResult>> Preference(
        CurrentVehicle car, PreferenceRequest request, ICarSoftware software, CancellationToken cancellationToken) =>
        await Answer(await software.SetPreferenceAsync(car.Vin, request.UpdateKind, request.Decision, cancellationToken), car, software, cancellationToken);

    private static async Task<Results<Ok<CarSoftwareResponse>, ValidationProblem, ProblemHttpResult>> Accept(
        CurrentVehicle car, string id, ICarSoftware software, CancellationToken cancellationToken) =>
        await Answer(long.TryParse(id, out var actionId) ? await software.AcceptAsync(car.Vin, car.Since, actionId, cancellationToken) : NoSuchUpdate, car, software,
            cancellationToken);

    private static async Task<Results<Ok<CarSoftwareResponse>, ValidationProblem, ProblemHttpResult>> Postpone(
        CurrentVehicle car, string id, PostponeRequest? request, ICarSoftware software, CancellationToken cancellationToken) =>
        await Answer(long.TryParse(id, out var actionId) ? await software.PostponeAsync(car.Vin, car.Since, actionId, request?.Days ?? 1, cancellationToken) : NoSuchUpdate,
            car, software, cancellationToken);

    private static async Task<Results<Ok<CarSoftwareResponse>, ValidationProblem, ProblemHttpResult>> Answer(
        Refusal? refusal, CurrentVehicle car, ICarSoftware software, CancellationToken cancellationToken) =>
        refusal is not null ? ApiProblems.Refused<Ok<CarSoftwareResponse>>(refusal) : TypedResults.Ok(await software.StateAsync(car.Vin, car.Since, cancellationToken));
}
