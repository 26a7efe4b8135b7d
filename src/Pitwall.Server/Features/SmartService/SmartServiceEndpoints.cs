using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.SmartService;

/// <param name="Unavailable"><c>not_reported</c> while the car has sent no service log; otherwise null.</param>
/// <param name="LastLogAt">When the car took its latest service log.</param>
internal sealed record HealthResponse(
    string Vin, string? Unavailable, DateTimeOffset? LastLogAt, double? OdometerMetres, IReadOnlyList<ComponentHealth> Components, IReadOnlyList<OpenFault> Faults);

/// <summary><c>/api/v1/vehicles/{vin}/health</c>: the Smart Service's stored health of the car; it never contacts the car.</summary>
internal static class SmartServiceEndpoints
{
    public static void MapSmartServiceEndpoints(this IEndpointRouteBuilder routes)
    {
        var health = routes.MapGroup("/api/v1/vehicles/{vin}/health").WithTags("Smart Service").RequireAuthorization(Scopes.ReadVehicle)
            .RequireVehicleService(ServiceIds.Maintenance, ServiceUse.Read);
        health.MapGet("", Health)
            .WithSummary("Smart Service: each component's state (ok, due_soon, due_now, fault), condition and predicted maintenance (date and odometer, " +
                "with confidence and the data points it rests on), and the open faults with description and recommendation.");
        health.MapGet("/components/{component}", History)
            .WithSummary("Smart Service: one component's condition over time and distance, oldest first (the trend the prediction is fitted to).");
    }

    private static async Task<Ok<HealthResponse>> Health(CurrentVehicle car, ICarHealth health, CancellationToken cancellationToken) =>
        TypedResults.Ok(await health.ReadAsync(car.Vin, cancellationToken) is { } summary
            ? new HealthResponse(summary.Vin, null, summary.LastLogAt, summary.OdometerMetres, summary.Components, summary.Faults)
            : new HealthResponse(car.Vin, "not_reported", null, null, [], []));

    private static async Task<Results<Ok<ComponentHistory>, ProblemHttpResult>> History(
        string component, CurrentVehicle car, ICarHealth health, CancellationToken cancellationToken) =>
        await health.HistoryAsync(car.Vin, component, cancellationToken) is { } history
            ? TypedResults.Ok(history)
            : ApiProblems.Problem(Refusal.NotFound("No such component (see the component catalogue in the vehicle protocol)."));
}
