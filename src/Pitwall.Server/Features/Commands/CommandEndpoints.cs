using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
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
            .WithSummary("Send a command to the car; 202 with its id. An Idempotency-Key header returns the first command for a repeated request.");
        commands.MapGet("/", History).RequireAuthorization(Scopes.ReadVehicle).WithSummary("The car's commands, newest first.");
        commands.MapGet("/{id}", Get).RequireAuthorization(Scopes.ReadVehicle).WithSummary("One command and its state.");
        commands.MapPost("/pin-challenge", PinChallenge).RequireAuthorization(Scopes.ControlVehicle)
            .WithSummary("A one-time challenge and the PIN's salt, for proving the PIN when unlocking.");
        routes.MapPut("/api/v1/me/remote-pin", SetPin).RequireAuthorization(Scopes.ControlAccount).WithTags("Remote commands")
            .WithSummary("Set the remote PIN (4–8 digits) that unlocking asks for.");
    }

    private static async Task<Results<Accepted<CommandResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string vin, CreateCommandRequest request, HttpContext context, IVehicleAccess access, IVehicleLink link, IEntitlements entitlements,
        RemotePins pins, CommandStore store, CommandDispatcher dispatcher, UsageStatistics.UsageStatistics usage, TimeProvider time,
        CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        var accountId = context.User.AccountIdOf();
        var role = await access.RoleOfAsync(accountId, vin, cancellationToken);
        if (role is null)
        {
            return VehicleEndpoints.NotFound();
        }
        var errors = new ValidationErrors();
        var type = request.Type is null ? null : CommandCatalog.Types.GetValueOrDefault(request.Type);
        if (type is null)
        {
            errors.Add("type", $"One of: {string.Join(", ", CommandCatalog.Types.Keys)}.");
        }
        var given = request.Parameters ?? [];
        if (type is not null)
        {
            CommandCatalog.ValidateParameters(type, given, errors);
        }
        var expiresIn = request.ExpiresInSeconds ?? 120;
        if (expiresIn is < 10 or > 3600)
        {
            errors.Add("expiresInSeconds", "Between 10 and 3600 seconds.");
        }
        string? idempotencyKey = context.Request.Headers["Idempotency-Key"];
        if (idempotencyKey is { Length: 0 or > 100 })
        {
            errors.Add("Idempotency-Key", "At most 100 characters.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        if (type!.PrimaryOnly && role == VehicleRole.Driver)
        {
            return ApiProblems.Create(StatusCodes.Status403Forbidden, ErrorCodes.ForbiddenForRole, "Drivers cannot change charging settings.");
        }
        var privacy = (await link.InfoAsync(vin, cancellationToken))?.Privacy;
        if (privacy?.PrivateMode == true)
        {
            return ApiProblems.Create(StatusCodes.Status409Conflict, ErrorCodes.PrivacyMode, "The car is in private mode: no remote functions.");
        }
        if (privacy?.RemoteAccessDisabled == true)
        {
            return ApiProblems.Create(StatusCodes.Status409Conflict, ErrorCodes.RemoteAccessDisabled, "Remote access is switched off in the car.");
        }
        if (privacy is not null && !ServiceIds.IsSwitchedOn(type.Service, privacy))
        {
            return ApiProblems.Create(StatusCodes.Status409Conflict, ErrorCodes.ServiceDisabled, $"The service {type.Service} is switched off in the car.");
        }
        if (!await entitlements.IsEntitledAsync(vin, type.Service, cancellationToken))
        {
            return ApiProblems.Create(StatusCodes.Status403Forbidden, ErrorCodes.NotEntitled, "The vehicle's contract does not cover this service.");
        }
        if (type.Name == "unlock")
        {
            var verdict = request.Challenge is null || request.PinProof is null
                ? RemotePins.Verdict.BadChallenge
                : await pins.VerifyAsync(accountId, request.Challenge, request.PinProof, cancellationToken);
            switch (verdict)
            {
                case RemotePins.Verdict.NoPin:
                    return ApiProblems.Create(StatusCodes.Status409Conflict, ErrorCodes.PinNotSet, "Set a remote PIN first (PUT /api/v1/me/remote-pin).");
                case RemotePins.Verdict.Locked:
                    return ApiProblems.Create(StatusCodes.Status423Locked, ErrorCodes.PinLocked, "Too many wrong PINs; unlocking is locked for a while.");
                case RemotePins.Verdict.BadChallenge:
                    return ApiProblems.Create(StatusCodes.Status400BadRequest, ErrorCodes.PinChallengeInvalid, "Unlocking needs a fresh challenge and a PIN proof.");
                case RemotePins.Verdict.Wrong:
                    return ApiProblems.Create(StatusCodes.Status403Forbidden, ErrorCodes.WrongPin, "The PIN is wrong.");
            }
        }
        var now = time.GetUtcNow();
        var parameters = given.ToDictionary(p => p.Key, p => p.Value!);
        var (command, created) = await store.InsertAsync(new CommandRecord(
            Guid.CreateVersion7(now).ToString(), vin, accountId, type.Name, parameters, CommandStates.Accepted, null, now, null, null,
            now.AddSeconds(expiresIn)), idempotencyKey, cancellationToken);
        if (created)
        {
            usage.Record(type.Service, UsageStatistics.UsageChannel.App);
            dispatcher.Publish(command);
            // Stored now: finish the hand-over even if the caller goes away (the command job would pick it up anyway).
            await dispatcher.DispatchAsync(vin, CancellationToken.None);
            command = await store.FindAsync(vin, command.Id, DateTimeOffset.MinValue, CancellationToken.None) ?? command;
        }
        return TypedResults.Accepted($"/api/v1/vehicles/{vin}/commands/{command.Id}", CommandResponse.From(command));
    }

    private static async Task<Results<Ok<List<CommandResponse>>, ProblemHttpResult>> History(
        string vin, int? limit, ClaimsPrincipal user, IVehicleAccess access, CommandStore store, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await access.AccessSinceAsync(user.AccountIdOf(), vin, cancellationToken) is not { } since)
        {
            return VehicleEndpoints.NotFound();
        }
        var commands = await store.HistoryAsync(vin, since, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
        return TypedResults.Ok(commands.Select(CommandResponse.From).ToList());
    }

    private static async Task<Results<Ok<CommandResponse>, ProblemHttpResult>> Get(
        string vin, string id, ClaimsPrincipal user, IVehicleAccess access, CommandStore store, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await access.AccessSinceAsync(user.AccountIdOf(), vin, cancellationToken) is not { } since)
        {
            return VehicleEndpoints.NotFound();
        }
        return await store.FindAsync(vin, id, since, cancellationToken) is { } command
            ? TypedResults.Ok(CommandResponse.From(command))
            : ApiProblems.NotFound("The command");
    }

    private static async Task<Results<Ok<PinChallengeResponse>, ProblemHttpResult>> PinChallenge(
        string vin, ClaimsPrincipal user, IVehicleAccess access, RemotePins pins, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await access.RoleOfAsync(user.AccountIdOf(), vin, cancellationToken) is null)
        {
            return VehicleEndpoints.NotFound();
        }
        return await pins.ChallengeAsync(user.AccountIdOf(), cancellationToken) is { } challenge
            ? TypedResults.Ok(new PinChallengeResponse(challenge.Challenge, challenge.Salt, challenge.ExpiresAt))
            : ApiProblems.Create(StatusCodes.Status409Conflict, ErrorCodes.PinNotSet, "Set a remote PIN first (PUT /api/v1/me/remote-pin).");
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetPin(
        SetPinRequest request, ClaimsPrincipal user, RemotePins pins, Accounts.AccountStore accounts, Accounts.SignInService signIn,
        CancellationToken cancellationToken)
    {
        if (!RemotePins.IsValidPin(request.Pin))
        {
            var errors = new ValidationErrors();
            errors.Add("pin", "The PIN is 4 to 8 digits.");
            return ApiProblems.Validation(errors);
        }
        // A stolen token alone must not be enough to replace the PIN that guards unlocking.
        if (await pins.IsSetAsync(user.AccountIdOf(), cancellationToken) &&
            (request.CurrentPassword is null || await accounts.FindAsync(user.AccountIdOf(), cancellationToken) is not { } account ||
             !signIn.VerifyPassword(account, request.CurrentPassword)))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, ErrorCodes.WrongPassword, "Changing the PIN needs the account's current password.");
        }
        await pins.SetAsync(user.AccountIdOf(), request.Pin!, cancellationToken);
        return TypedResults.NoContent();
    }
}
