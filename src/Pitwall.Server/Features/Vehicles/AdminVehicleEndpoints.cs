using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Vehicles;

/// <summary><c>/api/v1/admin/vehicles</c>: registering vehicles, one at a time or from CSV.</summary>
internal static class AdminVehicleEndpoints
{
    public static void MapAdminVehicleEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/vehicles").WithTags("Administration").RequireAuthorization(Scopes.ControlAdmin);
        admin.MapPost("/", Register).WithSummary("Register a vehicle; answers its link secret once.");
        admin.MapPost("/import", Import).WithSummary($"Register vehicles from CSV (text/csv) with the header {VehicleRegistry.CsvHeader}.");
    }

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
