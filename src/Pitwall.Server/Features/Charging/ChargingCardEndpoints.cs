using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Charging;

/// <summary><c>/api/v1/vehicles/{vin}/charging-cards</c>: the Charging Service's contract id, the app's token and the RFID cards of
/// the caller's account; order a card, block one; <c>…/charging-history</c>, the account's charges. The car's Charging Service package is
/// the gate.</summary>
internal static class ChargingCardEndpoints
{
    public static void MapChargingCardEndpoints(this IEndpointRouteBuilder routes)
    {
        var car = routes.MapGroup("/api/v1/vehicles/{vin}/charging-cards").WithTags("Charging Service");
        car.MapGet("", List).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.Charging, ServiceUse.Read)
            .WithSummary("Your contract id (eMA-ID), the app's charging token and your RFID charging cards.");
        car.MapPost("", Order).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.Charging, ChargingServiceUses.Cards)
            .WithSummary("Order an RFID charging card under your contract id (created on first use, with the app's token).");
        routes.MapGet("/api/v1/vehicles/{vin}/charging-history", History).WithTags("Charging Service").RequireAuthorization(Scopes.ReadVehicle)
            .RequireVehicleService(ServiceIds.Charging, ServiceUse.Read)
            .WithSummary("Your charges at public stations (the last 90 days): location, operator, energy, duration and cost, newest first.");
        car.MapPost("/{uid}/block", Block).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.Charging, ChargingServiceUses.Cards)
            .WithSummary("Block a charging card: operators refuse it from their next authorisation or token pull on.");
    }

    private static async Task<Ok<ChargingCardsResponse>> List(ClaimsPrincipal user, IChargingCards cards, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cards.ListAsync(user.AccountIdOf(), cancellationToken));

    private static async Task<Ok<List<ChargeResponse>>> History(ClaimsPrincipal user, ChargeRecordStore records, CancellationToken cancellationToken) =>
        TypedResults.Ok((await records.CdrsOfAsync(user.AccountIdOf(), ChargingHistory.MaxCharges, cancellationToken)).Select(ChargingHistory.From).ToList());

    private static async Task<Created<ChargingTokenResponse>> Order(CurrentVehicle car, ClaimsPrincipal user, IChargingCards cards, CancellationToken cancellationToken)
    {
        var card = await cards.OrderAsync(user.AccountIdOf(), car.Vin, cancellationToken);
        return TypedResults.Created($"/api/v1/vehicles/{car.Vin}/charging-cards", card);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Block(string uid, ClaimsPrincipal user, IChargingCards cards, CancellationToken cancellationToken) =>
        await cards.BlockAsync(user.AccountIdOf(), uid, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound("charging card");
}
