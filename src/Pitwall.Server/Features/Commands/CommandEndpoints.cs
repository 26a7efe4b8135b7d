using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Commands;

/// <summary><c>/api/v1/vehicles/{vin}/commands</c> and the remote PIN.</summary>
internal static class CommandEndpoints
{
    public static void MapCommandEndpoints(this IEndpointRouteBuilder routes)
    {
        var commands = routes.MapGroup("/api/v1/vehicles/{vin}/commands").WithTags("Remote commands");
        commands.MapPost("/", Create).RequireAuthorization(Scopes.ControlVehicle)
            .RequireVehicleService(context => CommandIssuer.UseOf(context.Arguments.OfType<CreateCommandRequest>().FirstOrDefault()?.Type))
            .WithSummary("Send a command to the car; 202 with its id. An Idempotency-Key header returns the first command for a repeated request.");
        commands.MapGet("/", History).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess().WithSummary("The car's commands, newest first.");
        commands.MapGet("/{id}", Get).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess().WithSummary("One command and its state.");
        commands.MapPost("/pin-challenge", PinChallenge).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleAccess()
            .WithSummary("A one-time challenge and the PIN's salt, for proving the PIN when unlocking.");
        routes.MapPut("/api/v1/me/remote-pin", SetPin).RequireAuthorization(Scopes.ControlAccount).WithTags("Remote commands")
            .WithSummary("Set the remote PIN (4–8 digits) that unlocking asks for.");
    }

    private static async Task<Results<Accepted<CommandResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateCommandRequest request, CurrentVehicle car, HttpContext context, CommandIssuer issuer, CancellationToken cancellationToken)
    {
        var (command, refusal) = await issuer.IssueAsync(context.User.AccountIdOf(), car.Vin, request, context.Request.Headers["Idempotency-Key"], cancellationToken);
        if (refusal is not null)
        {
            return ApiProblems.Refused<Accepted<CommandResponse>>(refusal);
        }
        return TypedResults.Accepted($"/api/v1/vehicles/{command!.Vin}/commands/{command.Id}", CommandResponse.From(command));
    }

    private static async Task<Ok<List<CommandResponse>>> History(int? limit, CurrentVehicle car, CommandStore store, CancellationToken cancellationToken)
    {
        var commands = await store.HistoryAsync(car.Vin, car.Since, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
        return TypedResults.Ok(commands.Select(CommandResponse.From).ToList());
    }

    private static async Task<Results<Ok<CommandResponse>, ProblemHttpResult>> Get(string id, CurrentVehicle car, CommandStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(car.Vin, id, car.Since, cancellationToken) is { } command
            ? TypedResults.Ok(CommandResponse.From(command))
            : ApiProblems.NotFound("The command");

    private static async Task<Results<Ok<PinChallengeResponse>, ProblemHttpResult>> PinChallenge(
        ClaimsPrincipal user, RemotePins pins, CancellationToken cancellationToken) =>
        await pins.ChallengeAsync(user.AccountIdOf(), cancellationToken) is { } challenge
            ? TypedResults.Ok(new PinChallengeResponse(challenge.Challenge, challenge.Salt, challenge.ExpiresAt))
            : ApiProblems.Create(StatusCodes.Status409Conflict, CommandErrorCodes.PinNotSet, "Set a remote PIN first (PUT /api/v1/me/remote-pin).");

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetPin(
        SetPinRequest request, ClaimsPrincipal user, RemotePinSetting setting, CancellationToken cancellationToken) =>
        await setting.SetAsync(user.AccountIdOf(), request.Pin, request.CurrentPassword, cancellationToken) is { } refusal
            ? ApiProblems.Refused<NoContent>(refusal)
            : TypedResults.NoContent();
}
