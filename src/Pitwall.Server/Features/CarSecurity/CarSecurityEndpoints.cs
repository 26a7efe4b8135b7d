using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>The owner's side: <c>/api/v1/vehicles/{vin}/car-security</c> (trigger reasons, health check) and <c>/theft-cases</c>.</summary>
internal static class CarSecurityEndpoints
{
    public static void MapCarSecurityEndpoints(this IEndpointRouteBuilder routes)
    {
        var vehicle = routes.MapGroup("/api/v1/vehicles/{vin}").WithTags("Car Security");
        vehicle.MapGet("/car-security", Settings).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess()
            .WithSummary("The trigger reasons (on, or off until when), the last health check, whether the car counts as stolen.");
        vehicle.MapPut("/car-security/triggers/{reason}", SetTrigger).RequireAuthorization(Scopes.ControlVehicle)
            .RequireVehicleService(ServiceIds.CarSecurity, ServiceUse.PrimaryOnly)
            .WithSummary("Switch one trigger reason off until a time (at most 30 days), or on again; never all of them at once.");
        vehicle.MapGet("/theft-cases", Cases).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess().WithSummary("The car's theft cases since you have had it.");
        vehicle.MapPost("/theft-cases", Report).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleAccess(primaryUserOnly: true)
            .WithSummary("Report the car stolen: the security centre opens a case and the car starts tracking (201). Without Car Security " +
                         "nobody tracks it; the theft is noted so the package cannot be bought until the car is back (202).");
        vehicle.MapGet("/uncovered-thefts", Uncovered).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess()
            .WithSummary("Thefts of the car while it had no Car Security (since you have had it), newest first.");
        vehicle.MapPost("/uncovered-thefts/{id}/recovered", Recovered).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleAccess(primaryUserOnly: true)
            .WithSummary("The car you reported stolen without Car Security is back; one the car noticed ends when the car leaves theft mode.");
    }

    private static async Task<Ok<CarSecurityResponse>> Settings(CurrentVehicle car, OwnerCarSecurity workflow, CancellationToken cancellationToken) =>
        TypedResults.Ok(await workflow.SettingsAsync(car.Vin, cancellationToken));

    private static async Task<Results<Ok<CarSecurityResponse>, ValidationProblem, ProblemHttpResult>> SetTrigger(
        string reason, TriggerRequest request, CurrentVehicle car, OwnerCarSecurity workflow, CancellationToken cancellationToken)
    {
        var (settings, refusal) = await workflow.SetTriggerAsync(car.Vin, reason, request.SuspendedUntil, cancellationToken);
        return ApiProblems.OkOr(settings, refusal);
    }

    private static async Task<Ok<List<OwnerCaseResponse>>> Cases(CurrentVehicle car, TheftCaseStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ForVehicleAsync(car.Vin, car.Since, cancellationToken)).Select(OwnerCaseResponse.From).ToList());

    private static async Task<Results<Created<OwnerCaseResponse>, Accepted<UncoveredTheftResponse>, ValidationProblem, ProblemHttpResult>> Report(
        TheftReportRequest request, CurrentVehicle car, ClaimsPrincipal user, OwnerCarSecurity workflow, CancellationToken cancellationToken)
    {
        var (opened, uncovered, refusal) = await workflow.ReportTheftAsync(user.AccountIdOf(), car.Vin, request.Circumstances, cancellationToken);
        if (refusal is not null)
        {
            return refusal.Errors is { } errors ? ApiProblems.Validation(errors) : ApiProblems.Problem(refusal);
        }
        return uncovered is not null
            ? TypedResults.Accepted($"/api/v1/vehicles/{uncovered.Vin}/uncovered-thefts", UncoveredTheftResponse.From(uncovered))
            : TypedResults.Created($"/api/v1/vehicles/{opened!.Vin}/theft-cases", OwnerCaseResponse.From(opened));
    }

    private static async Task<Ok<List<UncoveredTheftResponse>>> Uncovered(CurrentVehicle car, UncoveredThefts thefts, CancellationToken cancellationToken) =>
        TypedResults.Ok((await thefts.ForVehicleAsync(car.Vin, car.Since, cancellationToken)).Select(UncoveredTheftResponse.From).ToList());

    private static async Task<Results<Ok<UncoveredTheftResponse>, ProblemHttpResult>> Recovered(
        string id, CurrentVehicle car, OwnerCarSecurity workflow, CancellationToken cancellationToken)
    {
        var (ended, refusal) = await workflow.RecoveredWithoutCarSecurityAsync(car.Vin, id, cancellationToken);
        return refusal is not null ? ApiProblems.Problem(refusal) : TypedResults.Ok(UncoveredTheftResponse.From(ended!));
    }
}
