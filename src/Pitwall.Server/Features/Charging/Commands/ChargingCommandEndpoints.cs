using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Charging.Commands;

/// <summary>What the app asks for: <c>start_session</c> at an EVSE (its EVSE ID or the URL of its QR code, optionally a connector),
/// <c>stop_session</c> of one of the account's sessions, <c>unlock_connector</c> of an EVSE.</summary>
internal sealed record ChargingCommandRequest(string? Type, string? Evse, string? ConnectorId, string? SessionId);

/// <summary>A command at a public station as the owner API shows it: <c>status</c> sending → accepted → performed | failed | rejected;
/// <c>response</c> the operator's answer, <c>result</c> the charge point's (OCPI values, <c>TIMEOUT</c> when none came in time).</summary>
public sealed record ChargingCommandResponse(
    string Id, string Type, string Status, string? Response, string? Result, string? Message, string? EvseId, string? LocationId, string? EvseUid,
    string? ConnectorId, string? SessionId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ResultDueBy);

/// <summary><c>/api/v1/vehicles/{vin}/charging-commands</c>: start charging at a public station from the app (QR code or EVSE ID),
/// stop it remotely, unlock a connector. The car's Charging Service package is the gate; the command goes to the operator, not to
/// the car, so the car's switches do not concern it.</summary>
internal static class ChargingCommandEndpoints
{
    public static void MapChargingCommandEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/vehicles/{vin}/charging-commands").WithTags("Charging Service");
        group.MapPost("", Send).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.Charging, ChargingServiceUses.Stations)
            .WithSummary("Start charging at a public station (EVSE ID or its QR code's URL), stop one of your sessions, or unlock a connector: " +
                         "sent to the station's operator (OCPI START_SESSION, STOP_SESSION, UNLOCK_CONNECTOR); follow it with GET.");
        group.MapGet("/{id}", Get).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.Charging, ServiceUse.Read)
            .WithSummary("A charging command: the operator's answer and the charge point's result (TIMEOUT when none came in time).");
    }

    private static async Task<Results<Accepted<ChargingCommandResponse>, ValidationProblem, ProblemHttpResult>> Send(
        ChargingCommandRequest request, CurrentVehicle car, ClaimsPrincipal user, HttpRequest http, ChargingCommandSender sender, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var account = user.AccountIdOf();
        var (command, refusal) = request.Type switch
        {
            "start_session" => await sender.StartAsync(http, account, car.Vin, request.Evse, request.ConnectorId, cancellationToken),
            "stop_session" when request.SessionId is { Length: > 0 and <= 36 } session => await sender.StopAsync(http, account, car.Vin, session, cancellationToken),
            "stop_session" => (null, Refusal.Invalid("sessionId", "The id of the session to stop.")),
            "unlock_connector" => await sender.UnlockAsync(http, account, car.Vin, request.Evse, request.ConnectorId, cancellationToken),
            _ => (null, Refusal.Invalid("type", "One of start_session, stop_session, unlock_connector.")),
        };
        return command is null
            ? ApiProblems.Refused<Accepted<ChargingCommandResponse>>(refusal!)
            : TypedResults.Accepted($"/api/v1/vehicles/{car.Vin}/charging-commands/{command.Id}", From(command, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<ChargingCommandResponse>, ProblemHttpResult>> Get(
        string id, ClaimsPrincipal user, ChargingCommandStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.FindAsync(user.AccountIdOf(), id, cancellationToken) is { } command
            ? TypedResults.Ok(From(command, time.GetUtcNow()))
            : ApiProblems.NotFound("charging command");

    internal static ChargingCommandResponse From(ChargingCommand stored, DateTimeOffset now)
    {
        var c = stored.At(now);
        return new(c.Id, c.Command.ToLowerInvariant(), c.Status, c.Response, c.Result, c.Message, c.EvseId, c.LocationId, c.EvseUid, c.ConnectorId, c.SessionId,
            c.CreatedAt, c.UpdatedAt, c.Open ? c.Deadline : null);
    }
}
