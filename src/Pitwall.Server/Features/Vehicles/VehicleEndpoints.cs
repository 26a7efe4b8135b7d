using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Vehicles;

/// <summary><c>/api/v1/vehicles</c> and <c>/api/v1/pairings</c>: my vehicles, pairing, drivers, access keys.</summary>
internal static class VehicleEndpoints
{
    public static void MapVehicleEndpoints(this IEndpointRouteBuilder routes)
    {
        var vehicles = routes.MapGroup("/api/v1/vehicles").WithTags("Vehicles");
        vehicles.MapGet("/", List).RequireAuthorization(Scopes.ReadVehicle).WithSummary("The vehicles this account may use.");
        vehicles.MapGet("/{vin}", Get).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess().OpenToApps(Scopes.ReadVehicleInfo).WithSummary("One of my vehicles.");
        vehicles.MapDelete("/{vin}", Unpair).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleAccess(primaryUserOnly: true)
            .WithSummary("Unpair: every user loses access (primary user only).");
        vehicles.MapGet("/{vin}/drivers", Drivers).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess(primaryUserOnly: true)
            .WithSummary("The vehicle's users (primary user only).");
        vehicles.MapPost("/{vin}/drivers", AddDriver).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleAccess(primaryUserOnly: true)
            .WithSummary("Give another account driver rights (primary user only).");
        vehicles.MapDelete("/{vin}/drivers/{accountId}", RemoveDriver).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleAccess()
            .WithSummary("Remove a driver (the primary user, or drivers removing themselves).");
        vehicles.MapPost("/{vin}/access-keys", CreateAccessKey).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleAccess()
            .WithSummary("A short-lived single-purpose key, e.g. for a map service to show the car's position.");

        var pairings = routes.MapGroup("/api/v1/pairings").WithTags("Vehicles");
        pairings.MapPost("/", StartPairing).RequireAuthorization(Scopes.ControlVehicle)
            .RequireSharedRateLimit(PairingRateLimit, context => context.User.FindFirst(PitwallClaims.AccountId)?.Value ?? "anonymous", _ => 10, TimeSpan.FromHours(1))
            .WithSummary("Start pairing: the car shows a one-time code (10 per account per hour).");
        pairings.MapPost("/{id}/confirm", ConfirmPairing).RequireAuthorization(Scopes.ControlVehicle).WithSummary("Confirm pairing with the code shown in the car.");
    }

    /// <summary>Pairings per account (over every instance): each shows a code in a car and allows five guesses, so they are few.</summary>
    public const string PairingRateLimit = "pairing";

    private static async Task<Ok<List<VehicleResponse>>> List(ClaimsPrincipal user, VehicleStore store, IVehicleLink link, CancellationToken cancellationToken)
    {
        var mine = await store.ListForAsync(user.AccountIdOf(), null, cancellationToken);
        var result = new List<VehicleResponse>();
        foreach (var (vehicle, role) in mine)
        {
            result.Add(await ToResponseAsync(vehicle, role, link, cancellationToken));
        }
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<VehicleResponse>, ProblemHttpResult>> Get(
        CurrentVehicle car, VehicleStore store, IVehicleLink link, CancellationToken cancellationToken) =>
        await store.FindAsync(car.Vin, cancellationToken) is { } vehicle
            ? TypedResults.Ok(await ToResponseAsync(vehicle, car.Role, link, cancellationToken))
            : ApiProblems.Problem(Refusal.VehicleNotFound); // unpaired since the gate let the request in

    private static async Task<VehicleResponse> ToResponseAsync(Vehicle v, VehicleRole role, IVehicleLink link, CancellationToken cancellationToken)
    {
        var info = await link.InfoAsync(v.Vin, cancellationToken);
        return new VehicleResponse(v.Vin, v.Model, v.ModelYear, v.Colour, v.RegistrationNumber,
            role == VehicleRole.Primary ? VehicleRoles.Primary : VehicleRoles.Driver, info?.Online == true, info?.LastSeenAt);
    }

    private static async Task<NoContent> Unpair(CurrentVehicle car, PairingService pairing, CancellationToken cancellationToken)
    {
        await pairing.UnpairAsync(car.Vin, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<VehicleUserResponse>>> Drivers(CurrentVehicle car, VehicleUsers users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ListAsync(car.Vin, cancellationToken));

    private static async Task<Results<Created<VehicleUserResponse>, ValidationProblem, ProblemHttpResult>> AddDriver(
        AddDriverRequest request, CurrentVehicle car, VehicleUsers users, CancellationToken cancellationToken)
    {
        var (driver, refusal) = await users.AddDriverAsync(car.Vin, request.Email, cancellationToken);
        return driver is not null
            ? TypedResults.Created($"/api/v1/vehicles/{car.Vin}/drivers/{driver.AccountId}", driver)
            : ApiProblems.Refused<Created<VehicleUserResponse>>(refusal!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveDriver(
        string accountId, CurrentVehicle car, ClaimsPrincipal user, VehicleUsers users, CancellationToken cancellationToken) =>
        await users.RemoveDriverAsync(car.Vin, accountId, user.AccountIdOf(), car.Role, cancellationToken) is { } refusal
            ? ApiProblems.Problem(refusal)
            : TypedResults.NoContent();

    private static async Task<Results<Created<AccessKeyResponse>, ProblemHttpResult, ValidationProblem>> CreateAccessKey(
        CreateAccessKeyRequest request, CurrentVehicle car, ClaimsPrincipal user, AccessKeys keys, CancellationToken cancellationToken)
    {
        var vin = car.Vin;
        var errors = new ValidationErrors();
        if (request.Purpose is null || !AccessKeys.Purposes.Contains(request.Purpose))
        {
            errors.Add("purpose", $"One of: {string.Join(", ", AccessKeys.Purposes)}.");
        }
        var seconds = request.ValidForSeconds ?? 900;
        if (seconds < 30 || seconds > AccessKeys.MaxValidity.TotalSeconds)
        {
            errors.Add("validForSeconds", $"Between 30 and {AccessKeys.MaxValidity.TotalSeconds} seconds.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        var (key, expiresAt) = await keys.CreateAsync(vin, user.AccountIdOf(), request.Purpose!, TimeSpan.FromSeconds(seconds), cancellationToken);
        var url = $"/api/v1/access/position?key={Uri.EscapeDataString(key)}";
        return TypedResults.Created(url, new AccessKeyResponse(key, request.Purpose!, expiresAt, url));
    }

    private static async Task<Results<Accepted<PairingResponse>, ProblemHttpResult, ValidationProblem>> StartPairing(
        StartPairingRequest request, ClaimsPrincipal user, PairingService pairing, CancellationToken cancellationToken)
    {
        var vin = request.Vin is null ? null : Vin.Normalize(request.Vin);
        if (!Vin.IsValid(vin))
        {
            var errors = new ValidationErrors();
            errors.Add("vin", "A VIN is 17 characters: digits and letters except I, O and Q.");
            return ApiProblems.Validation(errors);
        }
        var started = await pairing.StartAsync(user.AccountIdOf(), vin!, cancellationToken);
        return started is null
            ? ApiProblems.Create(StatusCodes.Status404NotFound, ErrorCodes.VehicleNotFound, "No vehicle with this VIN is registered.")
            : TypedResults.Accepted($"/api/v1/pairings/{started.Id}", started);
    }

    private static async Task<Results<Ok<VehicleResponse>, ProblemHttpResult>> ConfirmPairing(
        string id, ConfirmPairingRequest request, ClaimsPrincipal user, PairingService pairing, VehicleStore store, IVehicleLink link,
        CancellationToken cancellationToken)
    {
        var me = user.AccountIdOf();
        var outcome = await pairing.ConfirmAsync(me, id, request.Code?.Trim() ?? "", cancellationToken);
        switch (outcome)
        {
            case PairingService.Outcome.NotFound:
                return ApiProblems.NotFound("The pairing");
            case PairingService.Outcome.Expired:
                return ApiProblems.Create(StatusCodes.Status410Gone, VehicleErrorCodes.PairingExpired, "The pairing expired or was used up; start again.");
            case PairingService.Outcome.WrongCode:
                return ApiProblems.Create(StatusCodes.Status400BadRequest, VehicleErrorCodes.InvalidPairingCode, "The code does not match the one shown in the car.");
            case PairingService.Outcome.AlreadyPaired:
                return ApiProblems.Conflict(VehicleErrorCodes.AlreadyPaired, "The vehicle is paired with another account; that account unpairs it first.");
        }
        var vin = (await pairing.VinOfAsync(me, id, cancellationToken))!;
        var (vehicle, role) = (await store.ListForAsync(me, vin, cancellationToken))[0];
        return TypedResults.Ok(await ToResponseAsync(vehicle, role, link, cancellationToken));
    }
}
