using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts;

/// <summary><c>/api/v1/admin/users</c>: administrators find accounts, rename them, change their role, disable and enable them
/// (<see cref="UserAdministration"/>).</summary>
internal static class UserAdminEndpoints
{
    public static void MapUserAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/users").WithTags("Administration");
        admin.MapGet("", Search).RequireAuthorization(Scopes.ReadAdmin)
            .WithSummary("Accounts whose e-mail address or name contains q (any case), newest first, 25 per page.");
        admin.MapGet("/{id}", Find).RequireAuthorization(Scopes.ReadAdmin).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One account.");
        admin.MapPatch("/{id}", Update).RequireAuthorization(Scopes.ControlAdmin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change an account's name or role, or disable (true) or enable (false) it. Disabling or a new role ends its sessions and app tokens at once; a disabled account cannot sign in.");
    }

    private static async Task<Results<Ok<UserPage>, ValidationProblem>> Search(string? q, int? page, UserAdministration users, CancellationToken cancellationToken)
    {
        if (page < 1)
        {
            var errors = new ValidationErrors();
            errors.Add("page", "The page starts at 1.");
            return ApiProblems.Validation(errors);
        }
        return TypedResults.Ok(await users.SearchAsync(q, page ?? 1, cancellationToken));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Find(string id, UserAdministration users, CancellationToken cancellationToken) =>
        await users.FindAsync(id, cancellationToken) is { } user ? TypedResults.Ok(user) : ApiProblems.Problem(UserAdministration.UserNotFound);

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string id, UserUpdateRequest request, ClaimsPrincipal admin, UserAdministration users, CancellationToken cancellationToken)
    {
        var (user, refusal) = await users.UpdateAsync(admin.AccountIdOf(), id, request, cancellationToken);
        return ApiProblems.OkOr(user, refusal);
    }
}
