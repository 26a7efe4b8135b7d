using Microsoft.Extensions.Localization;
using Pitwall.Server.Cluster;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary><c>/api/v1/soc/…</c>: the security centre's queue, cases, workflow, reports and live feed (role soc_operator).</summary>
public static class SocEndpoints
{
    public static void MapSocEndpoints(this IEndpointRouteBuilder routes)
    {
        var soc = routes.MapGroup("/api/v1/soc").WithTags("Security operation centre");
        soc.MapGet("/cases", Queue).RequireAuthorization(Scopes.ReadSoc)
            .WithSummary("The queue: cases not closed, most urgent first (closed=true: the latest closed ones).");
        soc.MapGet("/cases/{id}", Case).RequireAuthorization(Scopes.ReadSoc)
            .WithSummary("A case: the car, the owner's numbers in calling order and security question (never the answer), identity check, outcome.");
        soc.MapGet("/cases/{id}/track", Track).RequireAuthorization(Scopes.ReadSoc).WithSummary("Every tracking message of the case in the car's order, after a seq.");
        soc.MapGet("/cases/{id}/audit", Audit).RequireAuthorization(Scopes.ReadSoc).WithSummary("The audit log: who did what, when.");
        soc.MapGet("/cases/{id}/contacts", Contacts).RequireAuthorization(Scopes.ReadSoc).WithSummary("The contact log and the number to call next.");
        soc.MapPost("/cases/{id}/claim", Claim).RequireAuthorization(Scopes.ControlSoc).WithSummary("Take the case (unless another operator holds it).");
        soc.MapPost("/cases/{id}/handover", HandOver).RequireAuthorization(Scopes.ControlSoc)
            .WithSummary("Hand the case to another operator, or back to the queue.");
        soc.MapPost("/cases/{id}/notes", Annotate).RequireAuthorization(Scopes.ControlSoc).WithSummary("Add a note to the case.");
        soc.MapPost("/cases/{id}/contacts", Contact).RequireAuthorization(Scopes.ControlSoc)
            .WithSummary("Log a call to one of the owner's stored numbers (in order) and its outcome.");
        soc.MapPost("/cases/{id}/identity-check", IdentityCheck).RequireAuthorization(Scopes.ControlSoc)
            .WithSummary("Compare the answer the caller gave with the stored security answer; attempts are limited.");
        soc.MapPost("/cases/{id}/outcome", Outcome).RequireAuthorization(Scopes.ControlSoc)
            .WithSummary("false_alarm (close), theft_confirmed (hand to the authority) or recovered (close).");
        soc.MapPut("/cases/{id}/tracking-interval", Interval).RequireAuthorization(Scopes.ControlSoc)
            .WithSummary("Raise or lower how often the car sends tracking messages.");
        soc.MapPost("/cases/{id}/map-key", MapKey).RequireAuthorization(Scopes.ControlSoc)
            .WithSummary("A time-limited key for the map service to show the case's track (E5).");
        soc.MapGet("/cases/{id}/report.gpx", (string id, ClaimsPrincipal user, CaseReports reports, CancellationToken ct) =>
            reports.GpxAsync(id, null, user, ct)).RequireAuthorization(Scopes.ReadSoc).WithSummary("The track as GPX 1.1.");
        soc.MapGet("/cases/{id}/report.geojson", (string id, ClaimsPrincipal user, CaseReports reports, CancellationToken ct) =>
            reports.GeoJsonAsync(id, null, user, ct)).RequireAuthorization(Scopes.ReadSoc).WithSummary("The track as GeoJSON.");
        soc.MapGet("/cases/{id}/report", (string id, ClaimsPrincipal user, CaseReports reports, IStringLocalizer<PortalText> t, CancellationToken ct) =>
            reports.HtmlAsync(id, null, user, t, ct)).RequireAuthorization(Scopes.ReadSoc).WithSummary("A printable summary of the case, in the language of Accept-Language (en, de, fr), times in UTC.");
        soc.MapGet("/health-checks", MissedHealthChecks).RequireAuthorization(Scopes.ReadSoc)
            .WithSummary("Cars whose monthly health check is overdue (E4).");
        soc.MapGet("/events", Events).RequireAuthorization(Scopes.ReadSoc)
            .WithSummary("Server-Sent Events for the console: soc.case_opened, soc.case_updated, soc.tracking, soc.health_check_missed.");
        routes.MapGet("/api/v1/access/theft-track", TrackByKey).AllowAnonymous().WithTags("Security operation centre")
            .WithSummary("The positions of the case a soc_map key opens; no VIN, no name.");
    }

    private static async Task<Ok<List<CaseSummaryResponse>>> Queue(TheftCaseStore store, CancellationToken cancellationToken, bool closed = false, int limit = 100) =>
        TypedResults.Ok((await store.QueueAsync(closed, Math.Clamp(limit, 1, 500), cancellationToken)).Select(CaseSummaryResponse.From).ToList());

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Case(string id, SocWorkflow workflow, CancellationToken cancellationToken)
    {
        var (found, refusal) = await workflow.CaseAsync(id, cancellationToken);
        return ApiProblems.OkOr(found, refusal);
    }

    private static async Task<Results<Ok<List<TrackPointResponse>>, ProblemHttpResult>> Track(
        string id, TheftCaseStore store, CancellationToken cancellationToken, long after = 0, int limit = 1000) =>
        await store.FindAsync(id, cancellationToken) is null
            ? ApiProblems.Problem(SocWorkflow.CaseNotFound)
            : TypedResults.Ok((await store.TrackAsync(id, after, Math.Clamp(limit, 1, 5000), cancellationToken)).Select(TrackPointResponse.From).ToList());

    private static async Task<Results<Ok<List<AuditResponse>>, ProblemHttpResult>> Audit(string id, TheftCaseStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is null
            ? ApiProblems.Problem(SocWorkflow.CaseNotFound)
            : TypedResults.Ok((await store.AuditAsync(id, cancellationToken)).Select(AuditResponse.From).ToList());

    private static async Task<Results<Ok<ContactLogResponse>, ProblemHttpResult>> Contacts(
        string id, TheftCaseStore store, SocWorkflow workflow, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } k ? TypedResults.Ok(await workflow.ContactLogAsync(k, cancellationToken)) : ApiProblems.Problem(SocWorkflow.CaseNotFound);

    private static async Task<Results<Ok<CaseSummaryResponse>, ValidationProblem, ProblemHttpResult>> Claim(
        string id, ClaimsPrincipal user, SocWorkflow workflow, CancellationToken cancellationToken) =>
        Summary(await workflow.ClaimAsync(user.AccountIdOf(), id, cancellationToken));

    private static async Task<Results<Ok<CaseSummaryResponse>, ValidationProblem, ProblemHttpResult>> HandOver(
        string id, HandOverRequest request, ClaimsPrincipal user, SocWorkflow workflow, CancellationToken cancellationToken) =>
        Summary(await workflow.HandOverAsync(user.AccountIdOf(), id, request, cancellationToken));

    private static async Task<Results<Ok<CaseSummaryResponse>, ValidationProblem, ProblemHttpResult>> Annotate(
        string id, NoteRequest request, ClaimsPrincipal user, SocWorkflow workflow, CancellationToken cancellationToken) =>
        Summary(await workflow.AnnotateAsync(user.AccountIdOf(), id, request.Note, cancellationToken));

    private static async Task<Results<Ok<CaseSummaryResponse>, ValidationProblem, ProblemHttpResult>> Contact(
        string id, ContactAttemptRequest request, ClaimsPrincipal user, SocWorkflow workflow, CancellationToken cancellationToken) =>
        Summary(await workflow.ContactAsync(user.AccountIdOf(), id, request, cancellationToken));

    private static async Task<Results<Ok<IdentityCheckResponse>, ValidationProblem, ProblemHttpResult>> IdentityCheck(
        string id, IdentityCheckRequest request, ClaimsPrincipal user, SocWorkflow workflow, CancellationToken cancellationToken)
    {
        var (result, refusal) = await workflow.IdentityCheckAsync(user.AccountIdOf(), id, request.Answer, cancellationToken);
        return ApiProblems.OkOr(result, refusal);
    }

    private static async Task<Results<Ok<CaseSummaryResponse>, ValidationProblem, ProblemHttpResult>> Outcome(
        string id, OutcomeRequest request, ClaimsPrincipal user, SocWorkflow workflow, CancellationToken cancellationToken) =>
        Summary(await workflow.OutcomeAsync(user.AccountIdOf(), id, request, cancellationToken));

    private static async Task<Results<Ok<CaseSummaryResponse>, ValidationProblem, ProblemHttpResult>> Interval(
        string id, TrackingIntervalRequest request, ClaimsPrincipal user, SocWorkflow workflow, CancellationToken cancellationToken) =>
        Summary(await workflow.SetIntervalAsync(user.AccountIdOf(), id, request.Seconds, cancellationToken));

    private static async Task<Results<Ok<MapKeyResponse>, ValidationProblem, ProblemHttpResult>> MapKey(
        string id, ClaimsPrincipal user, SocWorkflow workflow, CancellationToken cancellationToken)
    {
        var (key, refusal) = await workflow.MapKeyAsync(user.AccountIdOf(), id, cancellationToken);
        return ApiProblems.OkOr(key, refusal);
    }

    private static async Task<Ok<List<MissedHealthCheckResponse>>> MissedHealthChecks(TheftCaseStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.MissedHealthChecksAsync(int.MaxValue, cancellationToken))
            .Select(h => new MissedHealthCheckResponse(h.Vin, h.LastCheckAt, h.FlaggedAt!.Value)).ToList());

    private static async Task<Results<Ok<List<PositionAtResponse>>, ProblemHttpResult>> TrackByKey(
        string? key, AccessKeys keys, TheftCaseStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || await keys.ResolveAsync(key, AccessKeys.SocMap, cancellationToken) is not { } vin ||
            (await store.ForVehicleAsync(vin, cancellationToken)).FirstOrDefault(k => !k.IsClosed) is not { } open)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, VehicleErrorCodes.AccessKeyInvalid, "The key is unknown, expired or for another purpose.");
        }
        return TypedResults.Ok((await store.TrackAsync(open.Id, 0, 5000, cancellationToken))
            .Where(p => p.Latitude is not null && p.Longitude is not null)
            .Select(p => new PositionAtResponse(p.Latitude!.Value, p.Longitude!.Value, p.RecordedAt)).ToList());
    }

    private static Results<Ok<CaseSummaryResponse>, ValidationProblem, ProblemHttpResult> Summary((TheftCase? Case, Refusal? Refusal) outcome) =>
        ApiProblems.OkOr(outcome.Case is { } k ? CaseSummaryResponse.From(k) : null, outcome.Refusal);

    private static SseStream Events(HttpContext context, SocFeed feed, CancellationToken cancellationToken) =>
        new SseStream(StreamAsync(feed, null, SseStream.LastEventId(context), cancellationToken));

    internal static async IAsyncEnumerable<SseItem<object>> StreamAsync(
        SocFeed feed, string? authorityAccountId, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = feed.Subscribe(authorityAccountId, lastEventId);
        yield return new SseItem<object>(new { }, "ready");
        await foreach (var e in subscription.ReadAllAsync(cancellationToken))
        {
            yield return new SseItem<object>(e.Data, e.Type) { EventId = e.EventId };
        }
    }
}

internal sealed record PositionAtResponse(double Latitude, double Longitude, DateTimeOffset RecordedAt);
