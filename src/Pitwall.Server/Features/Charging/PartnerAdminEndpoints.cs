using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Features.Charging.Ocpi;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Charging;

internal sealed record PartnerRequest(string? Name);

/// <summary>A partner as administrators see it; <paramref name="TokenA"/> only in the answer that created it.</summary>
internal sealed record PartnerResponse(
    string Id, string Name, string State, string? CountryCode, string? PartyId, string? PartnerVersionsUrl, string VersionsUrl, string? TokenA,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary><c>/api/v1/admin/charging/partners</c>: administrators set up charge point operators (their token A and Pitwall's
/// versions URL, handed over out of band), list them and end a registration.</summary>
internal static class PartnerAdminEndpoints
{
    public static void MapPartnerAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/charging/partners").WithTags("Charging Service");
        admin.MapGet("", List).RequireAuthorization(Scopes.ReadAdmin).WithSummary("The OCPI partners (charge point operators) and their state.");
        admin.MapPost("", Create).RequireAuthorization(Scopes.ControlAdmin)
            .WithSummary("Set up a partner: the answer carries its registration token A (once) and Pitwall's OCPI versions URL.");
        admin.MapDelete("/{id}", Unregister).RequireAuthorization(Scopes.ControlAdmin)
            .WithSummary("End a partner's registration: its tokens stop working at once.");
    }

    private static async Task<Ok<List<PartnerResponse>>> List(HttpRequest request, PartnerStore partners, OcpiUrls urls, CancellationToken cancellationToken) =>
        TypedResults.Ok((await partners.ListAsync(cancellationToken)).Select(p => From(p, urls.Versions(request), null)).ToList());

    private static async Task<Results<Created<PartnerResponse>, ValidationProblem>> Create(
        PartnerRequest request, HttpRequest http, PartnerStore partners, OcpiUrls urls, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            var errors = new ValidationErrors();
            errors.Add("name", "Give the partner's name (1 to 100 characters).");
            return ApiProblems.Validation(errors);
        }
        var (partner, tokenA) = await partners.CreateAsync(name, cancellationToken);
        return TypedResults.Created($"/api/v1/admin/charging/partners/{partner.Id}", From(partner, urls.Versions(http), tokenA));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Unregister(string id, PartnerStore partners, CancellationToken cancellationToken)
    {
        if (await partners.FindAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFound("partner");
        }
        await partners.UnregisterAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static PartnerResponse From(Partner p, string versionsUrl, string? tokenA) =>
        new(p.Id, p.Name, p.State, p.CountryCode, p.PartyId, p.VersionsUrl, versionsUrl, tokenA, p.CreatedAt, p.UpdatedAt);
}
