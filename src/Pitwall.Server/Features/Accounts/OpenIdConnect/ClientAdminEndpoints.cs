using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary><c>/api/v1/admin/clients</c>: administrators register apps and partner back ends, rotate a partner's secret and
/// remove a client (its grants and tokens end at once).</summary>
internal static class ClientAdminEndpoints
{
    public static void MapClientAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/clients").WithTags("Administration");
        admin.MapGet("", List).RequireAuthorization(Scopes.ReadAdmin).WithSummary("The registered OAuth clients.");
        admin.MapPost("", Create).RequireAuthorization(Scopes.ControlAdmin)
            .WithSummary("Register a client (kind first_party, third_party or partner); a partner's secret is in this answer only.");
        admin.MapPost("/{clientId}/secret", Rotate).RequireAuthorization(Scopes.ControlAdmin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Give a partner client a new secret (in this answer only); the old one stops working at once.");
        admin.MapDelete("/{clientId}", Delete).RequireAuthorization(Scopes.ControlAdmin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Remove a client: its grants and tokens stop working at once.");
    }

    private static async Task<Ok<List<ClientResponse>>> List(ClientRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.ListAsync(cancellationToken));

    private static async Task<Results<Created<ClientResponse>, ValidationProblem>> Create(
        ClientRequest request, ClientRegistry registry, CancellationToken cancellationToken)
    {
        var errors = ClientRegistry.Validate(request);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        var client = await registry.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/admin/clients/{client.ClientId}", client);
    }

    private static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> Rotate(string clientId, ClientRegistry registry, CancellationToken cancellationToken)
    {
        var (client, refusal) = await registry.RotateSecretAsync(clientId, cancellationToken);
        return refusal is null ? TypedResults.Ok(client!) : ApiProblems.Problem(refusal);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string clientId, ClientRegistry registry, CancellationToken cancellationToken) =>
        await registry.DeleteAsync(clientId, cancellationToken) is { } refusal ? ApiProblems.Problem(refusal) : TypedResults.NoContent();
}
