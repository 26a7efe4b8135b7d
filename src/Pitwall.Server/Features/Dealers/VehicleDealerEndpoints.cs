using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Dealers;

/// <summary><c>/api/v1/vehicles/{vin}/dealer…</c>: the car's preferred dealer, navigation to a dealer, and the log of every dealer
/// read of the car's data.</summary>
internal static class VehicleDealerEndpoints
{
    public static readonly Refusal DealerNotFound = Refusal.Invalid("dealerId", "No such dealer.");

    public static void MapVehicleDealerEndpoints(this IEndpointRouteBuilder routes)
    {
        var car = routes.MapGroup("/api/v1/vehicles/{vin}").WithTags("Dealers and appointments");
        car.MapGet("/dealer", Preferred).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.Maintenance, ServiceUse.Read)
            .WithSummary("The car's preferred dealer; it may read the car's transmitted data.");
        car.MapPut("/dealer", Choose).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.Maintenance, DealerServiceUses.Choice)
            .WithSummary("Choose the car's preferred dealer (primary user).");
        car.MapDelete("/dealer", Revoke).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.Maintenance, DealerServiceUses.Choice)
            .WithSummary("Revoke the choice: the dealer's access to the car's data ends, unless an appointment with it is open.");
        car.MapPost("/dealer/navigation", Navigate).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.Maintenance, ServiceUse.Change)
            .WithSummary("Send the dealer (the preferred one unless named) to the car as a navigation destination.");
        car.MapGet("/dealer-access", AccessLog).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess()
            .WithSummary("Every read of the car's data by a dealer since you have had the car, newest first.");
    }

    private static async Task<Ok<PreferredDealerResponse>> Preferred(CurrentVehicle car, DealerStore dealers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await dealers.PreferredAsync(car.Vin, cancellationToken) is var (dealerId, chosenAt) &&
                        await dealers.FindAsync(dealerId, cancellationToken) is { } dealer
            ? new PreferredDealerResponse(DealerResponse.From(dealer), chosenAt)
            : new PreferredDealerResponse(null, null));

    private static async Task<Results<Ok<PreferredDealerResponse>, ValidationProblem, ProblemHttpResult>> Choose(
        PreferredDealerRequest request, CurrentVehicle car, ClaimsPrincipal user, CarDealerService service, CancellationToken cancellationToken)
    {
        var (dealer, chosenAt, refusal) = await service.ChooseAsync(car.Vin, user.AccountIdOf(), request.DealerId, cancellationToken);
        return refusal is not null
            ? ApiProblems.Refused<Ok<PreferredDealerResponse>>(refusal)
            : TypedResults.Ok(new PreferredDealerResponse(DealerResponse.From(dealer!), chosenAt));
    }

    private static async Task<Ok<PreferredDealerRevokedResponse>> Revoke(
        CurrentVehicle car, DealerStore dealers, AppointmentStore appointments, CancellationToken cancellationToken)
    {
        var dealerId = await dealers.RevokePreferredAsync(car.Vin, cancellationToken);
        var keeps = dealerId is not null && await appointments.HasOpenAsync(car.Vin, dealerId, cancellationToken);
        return TypedResults.Ok(new PreferredDealerRevokedResponse(dealerId, keeps));
    }

    private static async Task<Results<Accepted<NavigationResponse>, ValidationProblem, ProblemHttpResult>> Navigate(
        NavigationRequest? request, CurrentVehicle car, CarDealerService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var (destinationId, dealerId, refusal) = await service.NavigateAsync(car.Vin, request?.DealerId, cancellationToken);
        return refusal is not null
            ? ApiProblems.Refused<Accepted<NavigationResponse>>(refusal)
            : TypedResults.Accepted((string?)null, new NavigationResponse(destinationId!, dealerId!, time.GetUtcNow()));
    }

    private static async Task<Ok<IReadOnlyList<DealerReadResponse>>> AccessLog(
        CurrentVehicle car, DealerAccessLog log, DealerStore dealers, CancellationToken cancellationToken, int limit = 100)
    {
        var reads = await log.OfCarAsync(car.Vin, car.Since, Math.Clamp(limit, 1, 500), cancellationToken);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in reads.Select(r => r.DealerId).Distinct())
        {
            names[id] = (await dealers.FindAsync(id, cancellationToken))?.Name ?? id;
        }
        return TypedResults.Ok<IReadOnlyList<DealerReadResponse>>([.. reads.Select(r => new DealerReadResponse(r.DealerId, names[r.DealerId], r.What, r.ReadAt))]);
    }
}
