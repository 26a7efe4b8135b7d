using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.ValetAlarm;

/// <param name="MaxSpeedKmh">10–250 km/h; default 50.</param>
/// <param name="RadiusM">100–50 000 m around where the car is parked; default 1 000.</param>
internal sealed record ValetRequest(double? MaxSpeedKmh, double? RadiusM);

/// <param name="State">inactive, requested (the car has not confirmed yet), active, ending or ended.</param>
/// <param name="Confirmed">Whether the car has applied the latest settings.</param>
public sealed record ValetResponse(
    string State, string? Id, double? MaxSpeedKmh, double? RadiusM, bool Confirmed, DateTimeOffset? RequestedAt, DateTimeOffset? StartedAt,
    Fix? ParkedAt, DateTimeOffset? EndedAt)
{
    public static readonly ValetResponse Inactive = new("inactive", null, null, null, true, null, null, null, null);

    public static ValetResponse From(ValetSession s, VehicleLinkInfo? link)
    {
        var confirmed = link?.HasApplied(s.ConfigSeq) == true;
        var state = s.EndedAt is not null ? "ended" : s.EndRequestedAt is not null ? "ending" : s.StartedAt is not null || confirmed ? "active" : "requested";
        return new(state, s.Id, Math.Round(s.MaxSpeedMps * 3.6, 1), s.RadiusM, confirmed, s.RequestedAt, s.StartedAt, s.ParkedAt, s.EndedAt);
    }
}

/// <param name="Kind">started, speed_exceeded, radius_exceeded or ended.</param>
public sealed record ValetEventResponse(string Id, string ValetId, string Kind, DateTimeOffset OccurredAt, Fix? Position, double? SpeedKmh)
{
    public static ValetEventResponse From(ValetEventRecord r) =>
        new(r.Id, r.ValetId, r.Kind, r.OccurredAt, r.Position, r.SpeedMps is { } s ? Math.Round(s * 3.6, 1) : null);
}

/// <summary><c>/api/v1/vehicles/{vin}/valet</c>: switch the valet alarm on and off, its state and its history.</summary>
internal static class ValetEndpoints
{
    public static void MapValetEndpoints(this IEndpointRouteBuilder routes)
    {
        var valet = routes.MapGroup("/api/v1/vehicles/{vin}/valet").WithTags("Valet alarm");
        valet.MapGet("/", Get).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.ValetAlarm, ServiceUse.Read).WithSummary("The valet alarm's state: limits, parking position, confirmed by the car.");
        valet.MapPut("/", Start).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.ValetAlarm, ServiceUse.Change)
            .WithSummary("Switch the valet alarm on (defaults 50 km/h, 1 km), or change the limits of the running one.");
        valet.MapDelete("/", Stop).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.ValetAlarm, ServiceUse.Change)
            .WithSummary("Switch the valet alarm off; the car reports the end.");
        valet.MapGet("/events", Events).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.ValetAlarm, ServiceUse.Read)
            .WithSummary("What the car reported, newest first.");
    }

    private static async Task<Ok<ValetResponse>> Get(CurrentVehicle car, ValetService valet, CancellationToken cancellationToken) =>
        TypedResults.Ok(await valet.CurrentAsync(car.Vin, cancellationToken));

    private static async Task<Ok<IReadOnlyList<ValetEventResponse>>> Events(
        CurrentVehicle car, ValetStore store, CancellationToken cancellationToken, int limit = 50) =>
        TypedResults.Ok<IReadOnlyList<ValetEventResponse>>(
            [.. (await store.EventsAsync(car.Vin, car.Since, Math.Clamp(limit, 1, 200), cancellationToken)).Select(ValetEventResponse.From)]);

    private static async Task<Results<Ok<ValetResponse>, ValidationProblem>> Start(
        ValetRequest request, CurrentVehicle car, ClaimsPrincipal user, IVehicleLink link, ValetService valet, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (maxSpeed, radius) = ValetService.Limits(request.MaxSpeedKmh, request.RadiusM, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        var session = await valet.StartAsync(car.Vin, user.AccountIdOf(), maxSpeed, radius, cancellationToken);
        return TypedResults.Ok(ValetResponse.From(session, await link.InfoAsync(car.Vin, cancellationToken)));
    }

    private static async Task<Results<Ok<ValetResponse>, ProblemHttpResult>> Stop(
        CurrentVehicle car, IVehicleLink link, ValetService valet, CancellationToken cancellationToken) =>
        await valet.StopAsync(car.Vin, cancellationToken) is { } ending
            ? TypedResults.Ok(ValetResponse.From(ending, await link.InfoAsync(car.Vin, cancellationToken)))
            : ApiProblems.Problem(ValetService.NotActive);
}
