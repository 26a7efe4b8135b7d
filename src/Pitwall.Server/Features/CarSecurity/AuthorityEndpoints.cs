using Microsoft.Extensions.Localization;
using Pitwall.Server.Cluster;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary><c>/api/v1/authority/…</c>: the cases handed to the signed-in authority, read-only and live, their reports; and
/// tracking a car the authority has a report about (E3). Any other case reads as not found.</summary>
internal static class AuthorityEndpoints
{
    public static void MapAuthorityEndpoints(this IEndpointRouteBuilder routes)
    {
        var authority = routes.MapGroup("/api/v1/authority").WithTags("Authorities");
        authority.MapGet("/cases", List).RequireAuthorization(Scopes.ReadAuthority).WithSummary("The cases handed to this authority, newest first.");
        authority.MapGet("/cases/{id}", Case).RequireAuthorization(Scopes.ReadAuthority).WithSummary("A case handed to this authority: the car, circumstances, last position.");
        authority.MapGet("/cases/{id}/track", Track).RequireAuthorization(Scopes.ReadAuthority).WithSummary("The positions in the car's order, after a seq.");
        authority.MapGet("/cases/{id}/report.gpx", (string id, ClaimsPrincipal user, CaseReports reports, CancellationToken ct) =>
            reports.GpxAsync(id, user.AccountIdOf(), user, ct)).RequireAuthorization(Scopes.ReadAuthority).WithSummary("The track as GPX 1.1.");
        authority.MapGet("/cases/{id}/report.geojson", (string id, ClaimsPrincipal user, CaseReports reports, CancellationToken ct) =>
            reports.GeoJsonAsync(id, user.AccountIdOf(), user, ct)).RequireAuthorization(Scopes.ReadAuthority).WithSummary("The track as GeoJSON.");
        authority.MapGet("/cases/{id}/report", (string id, ClaimsPrincipal user, CaseReports reports, IStringLocalizer<PortalText> t, CancellationToken ct) =>
            reports.HtmlAsync(id, user.AccountIdOf(), user, t, ct)).RequireAuthorization(Scopes.ReadAuthority).WithSummary("A printable summary, in the language of Accept-Language (en, de, fr), times in UTC.");
        authority.MapPut("/cases/{id}/reference", SetReference).RequireAuthorization(Scopes.ControlAuthority)
            .WithSummary("Note (or correct) the authority's own file number on a case handed to it.");
        authority.MapGet("/events", (HttpContext context, ClaimsPrincipal user, SocFeed feed, CancellationToken ct) =>
                new SseStream(SocEndpoints.StreamAsync(feed, user.AccountIdOf(), SseStream.LastEventId(context), ct)))
            .RequireAuthorization(Scopes.ReadAuthority).WithSummary("Server-Sent Events of this authority's cases: soc.case_opened, soc.case_updated, soc.tracking.");
        authority.MapPost("/tracking", StartTracking).RequireAuthorization(Scopes.ControlAuthority)
            .WithSummary("Start tracking a car with Car Security (VIN and registration number must match); the case is handed to this authority.");
    }

    private static async Task<Ok<List<AuthorityCaseResponse>>> List(ClaimsPrincipal user, TheftCaseStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ForAuthorityAsync(user.AccountIdOf(), cancellationToken)).Select(k => AuthorityCaseResponse.From(k, null)).ToList());

    private static async Task<Results<Ok<AuthorityCaseResponse>, ProblemHttpResult>> Case(
        string id, ClaimsPrincipal user, CaseReports reports, CancellationToken cancellationToken)
    {
        var (k, vehicle) = await reports.FindAsync(id, user.AccountIdOf(), cancellationToken);
        return k is null ? ApiProblems.Problem(SocWorkflow.CaseNotFound) : TypedResults.Ok(AuthorityCaseResponse.From(k, vehicle));
    }

    private static async Task<Results<Ok<AuthorityCaseResponse>, ProblemHttpResult>> SetReference(
        string id, AuthorityReferenceRequest request, ClaimsPrincipal user, AuthorityTracking workflow, CaseReports reports, CancellationToken cancellationToken)
    {
        var (changed, refusal) = await workflow.SetReferenceAsync(user.AccountIdOf(), id, request.Reference, cancellationToken);
        if (changed is null)
        {
            return ApiProblems.Problem(refusal!);
        }
        var (_, vehicle) = await reports.FindAsync(id, user.AccountIdOf(), cancellationToken);
        return TypedResults.Ok(AuthorityCaseResponse.From(changed, vehicle));
    }

    private static async Task<Results<Ok<List<TrackPointResponse>>, ProblemHttpResult>> Track(
        string id, ClaimsPrincipal user, CaseReports reports, TheftCaseStore store, CancellationToken cancellationToken, long after = 0, int limit = 1000)
    {
        var (k, _) = await reports.FindAsync(id, user.AccountIdOf(), cancellationToken);
        return k is null
            ? ApiProblems.Problem(SocWorkflow.CaseNotFound)
            : TypedResults.Ok((await store.TrackAsync(k.Id, after, Math.Clamp(limit, 1, 5000), cancellationToken)).Select(TrackPointResponse.From).ToList());
    }

    private static async Task<Results<Created<AuthorityCaseResponse>, ValidationProblem, ProblemHttpResult>> StartTracking(
        AuthorityTrackingRequest request, ClaimsPrincipal user, AuthorityTracking workflow, CancellationToken cancellationToken)
    {
        var (opened, vehicle, refusal) = await workflow.StartTrackingAsync(user.AccountIdOf(), request, cancellationToken);
        if (refusal is not null)
        {
            return ApiProblems.Refused<Created<AuthorityCaseResponse>>(refusal);
        }
        return TypedResults.Created($"/api/v1/authority/cases/{opened!.Id}", AuthorityCaseResponse.From(opened, vehicle));
    }
}
