using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Contracts;

/// <summary>Owners: offers, contracts, purchase, withdraw, cancel. Admins: the catalogue and written cancellations.</summary>
internal static class ContractEndpoints
{
    public static void MapContractEndpoints(this IEndpointRouteBuilder routes)
    {
        var vehicle = routes.MapGroup("/api/v1/vehicles/{vin}").WithTags("Packages and contracts");
        vehicle.MapGet("/offers", Offers).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess()
            .WithSummary("Every package of the catalogue for this vehicle: whether it can be bought, and why not.");
        vehicle.MapGet("/contracts", List).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleAccess().WithSummary("The vehicle's packages, running and ended.");
        vehicle.MapPost("/contracts", Purchase).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleAccess(primaryUserOnly: true)
            .WithSummary("Buy a package for this vehicle (primary user); Car Security needs the carSecurity data (B2).");
        routes.MapGet("/api/v1/contracts", Bought).WithTags("Packages and contracts").RequireAuthorization(Scopes.ReadVehicle)
            .WithSummary("The packages you bought, for every car, including cars you no longer have (a contract belongs to its buyer).");
        var contracts = routes.MapGroup("/api/v1/contracts/{id}").WithTags("Packages and contracts").RequireAuthorization(Scopes.ControlVehicle);
        contracts.MapPost("/withdraw", Withdraw).WithSummary("Withdraw within the withdrawal period (28 days), with a full refund; the services stop at once.");
        contracts.MapPost("/cancel", Cancel).WithSummary("Switch auto-renewal off; the package runs to the end of its term.");

        var admin = routes.MapGroup("/api/v1/admin").WithTags("Administration");
        admin.MapGet("/packages", Catalogue).RequireAuthorization(Scopes.ReadAdmin).WithSummary("The package catalogue.");
        admin.MapGet("/vehicles/{vin}/contracts", VehicleContracts).RequireAuthorization(Scopes.ReadAdmin)
            .WithSummary("A vehicle's packages, running and ended, whoever bought them.");
        admin.MapPut("/packages/{id}", SavePackage).RequireAuthorization(Scopes.ControlAdmin).WithSummary("Create or change a package.");
        admin.MapPost("/contracts/{id}/written-cancellation", WrittenCancellation).RequireAuthorization(Scopes.ControlAdmin)
            .WithSummary("Record a cancellation the customer sent in writing (auto-renewal off), with customer service's reference.");
    }

    // The gate (RequireVehicleAccess) read the caller's access and role once; the handlers read the car's model, not the access again.
    private static async Task<Results<Ok<List<OfferResponse>>, ProblemHttpResult>> Offers(
        CurrentVehicle car, IVehicleDirectory vehicles, ContractService service, CancellationToken cancellationToken)
    {
        if (await vehicles.FindAsync(car.Vin, cancellationToken) is not { } vehicle)
        {
            return ApiProblems.Problem(Refusal.VehicleNotFound);
        }
        var offers = await service.OffersAsync(vehicle, cancellationToken);
        return TypedResults.Ok(offers.Select(o => new OfferResponse(PackageResponse.From(o.Package), o.NotAvailable is null, o.NotAvailable)).ToList());
    }

    private static async Task<Ok<List<ContractResponse>>> List(CurrentVehicle car, ContractStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ForVehicleAsync(car.Vin, cancellationToken)).Select(ContractResponse.From).ToList());

    private static async Task<Ok<List<ContractResponse>>> VehicleContracts(string vin, ContractStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ForVehicleAsync(vin, cancellationToken)).Select(ContractResponse.From).ToList());

    private static async Task<Ok<List<ContractResponse>>> Bought(ClaimsPrincipal user, ContractStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ForBuyerAsync(user.AccountIdOf(), cancellationToken)).Select(ContractResponse.From).ToList());

    private static async Task<Results<Created<ContractResponse>, ValidationProblem, ProblemHttpResult>> Purchase(
        PurchaseRequest request, CurrentVehicle car, ClaimsPrincipal user, IVehicleDirectory vehicles, ContractService service, CancellationToken cancellationToken)
    {
        var (contract, refusal) = await vehicles.FindAsync(car.Vin, cancellationToken) is { } vehicle
            ? await service.PurchaseAsync(user.AccountIdOf(), vehicle, request.PackageId, request.CarSecurity, cancellationToken, request.ConfirmedPriceMinor)
            : (null, Refusal.VehicleNotFound);
        if (refusal is not null)
        {
            return ApiProblems.Refused<Created<ContractResponse>>(refusal);
        }
        return TypedResults.Created($"/api/v1/vehicles/{contract!.Vin}/contracts", ContractResponse.From(contract!));
    }

    private static async Task<Results<Ok<ContractResponse>, ValidationProblem, ProblemHttpResult>> Withdraw(
        string id, ClaimsPrincipal user, ContractService service, CancellationToken cancellationToken) =>
        Answer(await service.WithdrawAsync(user.AccountIdOf(), id, cancellationToken));

    private static async Task<Results<Ok<ContractResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        string id, ClaimsPrincipal user, ContractService service, CancellationToken cancellationToken) =>
        Answer(await service.CancelAsync(user.AccountIdOf(), id, cancellationToken));

    private static async Task<Ok<List<PackageResponse>>> Catalogue(PackageStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(PackageResponse.From).ToList());

    private static async Task<Results<Ok<PackageResponse>, Created<PackageResponse>, ValidationProblem>> SavePackage(
        string id, SavePackageRequest request, PackageStore store, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.ToPackage(id, errors) is not { } package)
        {
            return ApiProblems.Validation(errors);
        }
        return await store.SaveAsync(package, cancellationToken)
            ? TypedResults.Created($"/api/v1/admin/packages/{id}", PackageResponse.From(package))
            : TypedResults.Ok(PackageResponse.From(package));
    }

    private static async Task<Results<Ok<ContractResponse>, ValidationProblem, ProblemHttpResult>> WrittenCancellation(
        string id, WrittenCancellationRequest request, ContractService service, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reference) || request.Reference.Length > 100)
        {
            var errors = new ValidationErrors();
            errors.Add("reference", "Customer service's reference for the letter, 1 to 100 characters.");
            return ApiProblems.Validation(errors);
        }
        return Answer(await service.RecordWrittenCancellationAsync(id, request.Reference.Trim(), cancellationToken));
    }

    private static Results<Ok<ContractResponse>, ValidationProblem, ProblemHttpResult> Answer((ContractRecord? Contract, Refusal? Refusal) outcome) =>
        ApiProblems.OkOr(outcome.Contract is { } contract ? ContractResponse.From(contract) : null, outcome.Refusal);
}
