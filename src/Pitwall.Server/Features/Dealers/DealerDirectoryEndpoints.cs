using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Dealers;

/// <summary><c>/api/v1/dealers</c>: the dealer directory for every signed-in user; <c>/api/v1/admin/dealers</c>: administrators
/// add dealers and their staff accounts.</summary>
internal static class DealerDirectoryEndpoints
{
    public static void MapDealerDirectoryEndpoints(this IEndpointRouteBuilder routes)
    {
        var directory = routes.MapGroup("/api/v1/dealers").WithTags("Dealers and appointments").RequireAuthorization(Scopes.ReadAccount);
        directory.MapGet("/", Search).WithSummary("Search the dealer directory: by name, city or postal code, by service, nearest first around a position.");
        directory.MapGet("/{id}", Get).WithSummary("One dealer.");

        var admin = routes.MapGroup("/api/v1/admin/dealers").WithTags("Administration").RequireAuthorization(Scopes.ControlAdmin);
        admin.MapPost("/", Create).WithSummary("Add a dealer to the directory.");
        admin.MapPost("/{id}/staff", AddStaff).WithSummary("Create an account with the role dealer that works for this dealer.");
    }

    /// <param name="latitude">With <paramref name="longitude"/>: nearest first, within <paramref name="radiusKm"/> (default 50).</param>
    private static async Task<Results<Ok<IReadOnlyList<DealerResponse>>, ValidationProblem>> Search(
        DealerDirectory directory, CancellationToken cancellationToken,
        double? latitude = null, double? longitude = null, double? radiusKm = null, string? q = null, string? service = null, int limit = 20)
    {
        var errors = new ValidationErrors();
        var found = await directory.SearchAsync(new DealerSearch(latitude, longitude, radiusKm, q, service, limit), errors, cancellationToken);
        return errors.Any
            ? ApiProblems.Validation(errors)
            : TypedResults.Ok<IReadOnlyList<DealerResponse>>([.. found.Select(f => DealerResponse.From(f.Dealer, f.DistanceM))]);
    }

    private static async Task<Results<Ok<DealerResponse>, ProblemHttpResult>> Get(string id, DealerStore dealers, CancellationToken cancellationToken) =>
        await dealers.FindAsync(id, cancellationToken) is { } dealer ? TypedResults.Ok(DealerResponse.From(dealer)) : ApiProblems.NotFound("The dealer");

    private static async Task<Results<Created<DealerResponse>, ValidationProblem, ProblemHttpResult>> Create(
        DealerCreateRequest request, DealerDirectory directory, CancellationToken cancellationToken)
    {
        var (dealer, refusal) = await directory.AddAsync(request, cancellationToken);
        return refusal is not null
            ? ApiProblems.Refused<Created<DealerResponse>>(refusal)
            : TypedResults.Created($"/api/v1/dealers/{dealer!.Id}", DealerResponse.From(dealer));
    }

    private static async Task<Results<Created<DealerStaffResponse>, ValidationProblem, ProblemHttpResult>> AddStaff(
        string id, DealerStaffRequest request, DealerStore dealers, AccountAdministration administration, IAccountDirectory accounts, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await dealers.FindAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFound("The dealer");
        }
        var created = await administration.CreateUserAsync(request.Email ?? "", request.Name ?? "", Roles.Dealer, request.Password ?? "", cancellationToken);
        if (!created.Succeeded)
        {
            return ApiProblems.Refused<Created<DealerStaffResponse>>(Refusal.Invalid("account", created.Error!));
        }
        await dealers.LinkStaffAsync(created.AccountId!, id, time.GetUtcNow(), cancellationToken);
        return TypedResults.Created($"/api/v1/admin/dealers/{id}/staff/{created.AccountId}", new DealerStaffResponse(created.AccountId!, id));
    }
}
