using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.VehicleAlarm;

/// <param name="Reason">door, hood, trunk, interior_motion, tilt_tow, glass, power_cut, ignition or unknown.</param>
/// <param name="Position">Where the car was; null when the car's location services were off.</param>
public sealed record AlarmResponse(string Id, string Reason, DateTimeOffset OccurredAt, Fix? Position)
{
    public static AlarmResponse From(AlarmRecord r) => new(r.Id, r.Reason, r.OccurredAt, r.Position);
}

/// <summary><c>/api/v1/vehicles/{vin}/alarms</c>: the anti-theft alarm history.</summary>
internal static class VehicleAlarmEndpoints
{
    public static void MapVehicleAlarmEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGroup("/api/v1/vehicles/{vin}").WithTags("Alarms").RequireAuthorization(Scopes.ReadVehicle)
            .MapGet("/alarms", History).RequireVehicleService(ServiceIds.VehicleAlarm, ServiceUse.Read).WithSummary("Anti-theft alarms, newest first: reason, time and position.");

    private static async Task<Ok<IReadOnlyList<AlarmResponse>>> History(
        CurrentVehicle car, VehicleAlarmStore store, CancellationToken cancellationToken, int limit = 50) =>
        TypedResults.Ok<IReadOnlyList<AlarmResponse>>(
            [.. (await store.HistoryAsync(car.Vin, car.Since, Math.Clamp(limit, 1, 200), cancellationToken)).Select(AlarmResponse.From)]);
}
