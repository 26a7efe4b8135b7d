using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Vehicles;

/// <summary><c>/api/v1/admin/vehicles</c>: finding vehicles and registering them, one at a time or from CSV.</summary>
internal static class AdminVehicleEndpoints
{
    public static void MapAdminVehicleEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/vehicles").WithTags("Administration");
        admin.MapGet("/", Search).RequireAuthorization(Scopes.ReadAdmin)
            .WithSummary("Registered vehicles, newest first; q finds a fragment of the VIN, registration number or model (any case).");
        admin.MapGet("/{vin}", Detail).RequireAuthorization(Scopes.ReadAdmin)
            .WithSummary("One vehicle: registration, its users, its link and the software it reported.");
        admin.MapPost("/", Register).RequireAuthorization(Scopes.ControlAdmin).WithSummary("Register a vehicle; answers its link secret once.");
        admin.MapPost("/import", Import).RequireAuthorization(Scopes.ControlAdmin)
            .WithSummary($"Register vehicles from CSV (text/csv) with the header {VehicleRegistry.CsvHeader}.");
    }

    private static async Task<Results<Ok<AdminVehiclePage>, ValidationProblem>> Search(
        string? q, int? page, int? pageSize, VehicleAdministration administration, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (page < 1)
        {
            errors.Add("page", "The page starts at 1.");
        }
        if (pageSize is < 1 or > VehicleAdministration.MaxPageSize)
        {
            errors.Add("pageSize", $"The page size is 1 to {VehicleAdministration.MaxPageSize}.");
        }
        return errors.Any
            ? ApiProblems.Validation(errors)
            : TypedResults.Ok(await administration.SearchAsync(q, page ?? 1, pageSize ?? VehicleAdministration.DefaultPageSize, cancellationToken));
    }

    private static async Task<Results<Ok<AdminVehicleDetail>, ProblemHttpResult>> Detail(string vin, VehicleAdministration administration, CancellationToken cancellationToken) =>
        await administration.DetailAsync(vin, cancellationToken) is { } detail
            ? TypedResults.Ok(detail)
            : ApiProblems.Problem(NotRegistered);

    private static readonly Refusal NotRegistered = new(StatusCodes.Status404NotFound, ErrorCodes.VehicleNotFound, "No vehicle with this VIN is registered.");

    private static async Task<Results<Created<RegisteredVehicleResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterVehicleRequest request, VehicleRegistry registry, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        VehicleRegistry.Validate(request, errors, registry.MaxModelYear);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        var registered = await registry.RegisterAsync(request, cancellationToken);
        return registered is null
            ? ApiProblems.Conflict(VehicleErrorCodes.VehicleExists, "A vehicle with this VIN is registered.")
            : TypedResults.Created($"/api/v1/admin/vehicles/{registered.Vin}", registered);
    }

    private static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> Import(HttpRequest request, VehicleRegistry registry, CancellationToken cancellationToken)
    {
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
        {
            return ApiProblems.Create(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, "Send the vehicles as text/csv.");
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return TypedResults.Ok(await registry.ImportAsync(reader, fleetSecret: null, cancellationToken));
    }
}
