using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Charging.Sessions;

/// <summary><c>GET /api/v1/vehicles/{vin}/charging-sessions</c>: the account's running charges at public stations; live as the
/// <c>charging.session</c> event on <c>/api/v1/events</c>.</summary>
internal static class LiveSessionEndpoints
{
    public static void MapLiveSessionEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/vehicles/{vin}/charging-sessions", Running).WithTags("Charging Service").RequireAuthorization(Scopes.ReadVehicle)
            .RequireVehicleService(ServiceIds.Charging, ServiceUse.Read)
            .WithSummary("Your running charges at public stations: energy, duration and cost so far, with the car's own charging state; " +
                         "each update arrives live as charging.session on /api/v1/events.");

    private static async Task<Ok<IReadOnlyList<LiveChargingSessionResponse>>> Running(ClaimsPrincipal user, LiveSessions live, CancellationToken cancellationToken) =>
        TypedResults.Ok(await live.RunningAsync(user.AccountIdOf(), cancellationToken));
}
