using Pitwall.Server.Cluster;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Dealers;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>
/// <c>/api/v1/vehicles/{vin}/breakdown-calls</c> (the driver), <c>/api/v1/assistance/…</c> (role assistance_agent: the live queue,
/// cases, live diagnosis, actions) and <c>/api/v1/dealer/breakdowns</c> (the dealer of the driver's choice, with consent).
/// </summary>
internal static class BreakdownEndpoints
{
    public static void MapBreakdownEndpoints(this IEndpointRouteBuilder routes)
    {
        var car = routes.MapGroup("/api/v1/vehicles/{vin}/breakdown-calls").WithTags("Breakdown call");
        car.MapGet("", List).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.BreakdownCall, ServiceUse.Read)
            .WithSummary("The car's breakdown and emergency calls with their progress (help sent, arrival, tow destination) and consents.");
        car.MapPost("", Start).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.BreakdownCall, ServiceUse.Change)
            .WithSummary("Call for breakdown help from the app: the platform asks the car for its snapshot; the consent answers cover this call only.");
        car.MapGet("/{id}", Get).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.BreakdownCall, ServiceUse.Read)
            .WithSummary("One call with its timeline.");
        car.MapPut("/{id}/consent", Consent).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.BreakdownCall, ServiceUse.Read)
            .WithSummary("Give or withdraw the call's consents (assistance centre, position, dealer); withdrawal ends further sharing.");

        var agent = routes.MapGroup("/api/v1/assistance").WithTags("Assistance centre");
        agent.MapGet("/cases", Queue).RequireAuthorization(Scopes.ReadAssistance)
            .WithSummary("The queue: emergency calls first, then breakdown calls by waiting time (closed=true: the latest closed ones).");
        agent.MapGet("/cases/{id}", Case).RequireAuthorization(Scopes.ReadAssistance)
            .WithSummary("A case: without the driver's consent only the minimum (the call, the car type, the number to call back, the position if agreed).");
        agent.MapGet("/cases/{id}/timeline", Timeline).RequireAuthorization(Scopes.ReadAssistance).WithSummary("The case's timeline, oldest first.");
        agent.MapPost("/cases/{id}/claim", (string id, ClaimsPrincipal user, IAssistanceConsole w, CancellationToken ct) =>
            Done(w.ClaimAsync(user.AccountIdOf(), id, ct))).RequireAuthorization(Scopes.ControlAssistance).WithSummary("Take the case.");
        agent.MapPost("/cases/{id}/notes", (string id, CaseNoteRequest request, ClaimsPrincipal user, IAssistanceConsole w, CancellationToken ct) =>
            Done(w.NoteAsync(user.AccountIdOf(), id, request.Note, ct))).RequireAuthorization(Scopes.ControlAssistance).WithSummary("Add a note.");
        agent.MapPost("/cases/{id}/live-diagnosis", LiveDiagnosis).RequireAuthorization(Scopes.ControlAssistance)
            .WithSummary("Ask the car for fresh fault memory and live values (with the driver's consent); the answer comes on the timeline and the events.");
        agent.MapPost("/cases/{id}/actions", (string id, CaseActionRequest request, ClaimsPrincipal user, IAssistanceConsole w, CancellationToken ct) =>
            Done(w.ActAsync(user.AccountIdOf(), id, request, ct))).RequireAuthorization(Scopes.ControlAssistance)
            .WithSummary("roadside_help (with its arrival), tow (with the destination dealer) or solved_by_phone; the driver is told.");
        agent.MapPost("/cases/{id}/close", (string id, CaseNoteRequest request, ClaimsPrincipal user, IAssistanceConsole w, CancellationToken ct) =>
            Done(w.CloseAsync(user.AccountIdOf(), id, request.Note, ct))).RequireAuthorization(Scopes.ControlAssistance).WithSummary("Close the case.");
        agent.MapGet("/events", (HttpContext context, IAssistanceConsole console, CancellationToken ct) => new SseStream(console.EventsAsync(SseStream.LastEventId(context), ct)))
            .RequireAuthorization(Scopes.ReadAssistance).WithSummary("Server-Sent Events for the live queue: assistance.case_opened, assistance.case_updated.");

        var dealer = routes.MapGroup("/api/v1/dealer/breakdowns").WithTags("Dealer console").RequireAuthorization(Scopes.ReadDealer);
        dealer.MapGet("", DealerList).WithSummary("The breakdown snapshots drivers shared with this dealer (only while their consent holds).");
    }

    private static async Task<Ok<List<DriverCallResponse>>> List(CurrentVehicle car, IBreakdownCalls calls, CancellationToken cancellationToken) =>
        TypedResults.Ok((await calls.ListAsync(car.Vin, car.Since, cancellationToken)).ToList());

    private static async Task<Results<Ok<DriverCallResponse>, ValidationProblem, ProblemHttpResult>> Get(
        string id, CurrentVehicle car, IBreakdownCalls calls, CancellationToken cancellationToken)
    {
        var (call, refusal) = await calls.GetAsync(car.Vin, car.Since, id, cancellationToken);
        return ApiProblems.OkOr(call, refusal);
    }

    private static async Task<Results<Accepted<DriverCallResponse>, ValidationProblem, ProblemHttpResult>> Start(
        StartBreakdownCallRequest request, CurrentVehicle car, ClaimsPrincipal user, IBreakdownCalls calls, CancellationToken cancellationToken)
    {
        var (call, refusal) = await calls.StartAsync(user.AccountIdOf(), car.Vin, car.Since, request, cancellationToken);
        return call is not null ? TypedResults.Accepted($"/api/v1/vehicles/{car.Vin}/breakdown-calls/{call.Id}", call) : ApiProblems.Refused<Accepted<DriverCallResponse>>(refusal!);
    }

    private static async Task<Results<Ok<DriverCallResponse>, ValidationProblem, ProblemHttpResult>> Consent(
        string id, BreakdownConsentRequest request, CurrentVehicle car, ClaimsPrincipal user, IBreakdownCalls calls, CancellationToken cancellationToken)
    {
        var (call, refusal) = await calls.ConsentAsync(user.AccountIdOf(), car.Vin, car.Since, id, request, cancellationToken);
        return ApiProblems.OkOr(call, refusal);
    }

    private static async Task<Ok<List<QueueEntryResponse>>> Queue(
        ClaimsPrincipal user, IAssistanceConsole console, CancellationToken cancellationToken, bool closed = false, int limit = 100) =>
        TypedResults.Ok((await console.QueueAsync(user.AccountIdOf(), closed, limit, cancellationToken)).ToList());

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Case(
        string id, ClaimsPrincipal user, IAssistanceConsole workflow, CancellationToken cancellationToken) =>
        await Done(workflow.CaseAsync(user.AccountIdOf(), id, cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<TimelineEntryResponse>>, ValidationProblem, ProblemHttpResult>> Timeline(
        string id, ClaimsPrincipal user, IAssistanceConsole workflow, CancellationToken cancellationToken)
    {
        var (timeline, refusal) = await workflow.TimelineAsync(user.AccountIdOf(), id, cancellationToken);
        return ApiProblems.OkOr(timeline, refusal);
    }

    private static async Task<Results<Accepted<LiveDiagnosisAskedResponse>, ValidationProblem, ProblemHttpResult>> LiveDiagnosis(
        string id, LiveDiagnosisAskRequest request, ClaimsPrincipal user, IAssistanceConsole workflow, CancellationToken cancellationToken)
    {
        var (asked, refusal) = await workflow.AskLiveDiagnosisAsync(user.AccountIdOf(), id, request.Values, cancellationToken);
        return asked is not null ? TypedResults.Accepted($"/api/v1/assistance/cases/{id}/timeline", asked) : ApiProblems.Refused<Accepted<LiveDiagnosisAskedResponse>>(refusal!);
    }

    private static async Task<Results<Ok<List<DealerBreakdownResponse>>, ProblemHttpResult>> DealerList(
        ClaimsPrincipal user, IDealerConsole console, AssistanceCaseStore store, BreakdownConsents consents, CancellationToken cancellationToken)
    {
        var (dealer, refusal) = await console.DealerOfAsync(user.AccountIdOf(), cancellationToken);
        if (dealer is null)
        {
            return ApiProblems.Problem(refusal!);
        }
        var shared = new List<DealerBreakdownResponse>();
        foreach (var k in await store.ForDealerAsync(dealer.Id, cancellationToken))
        {
            if ((await consents.OfAsync(k, cancellationToken)).ToDealer)
            {
                shared.Add(new DealerBreakdownResponse(k.Id, k.Vin, k.Model, Data.StoredTime.Read(k.OpenedAt),
                    Snapshots.Read<BreakdownSnapshot>(k.Snapshot) is { } s ? s with { LastPositions = [] } : null,
                    Snapshots.Read<Diagnosis.DiagnosisResult>(k.Diagnosis)));
            }
        }
        return TypedResults.Ok(shared);
    }

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Done(Task<(CaseResponse? Case, Refusal? Refusal)> outcome)
    {
        var (k, refusal) = await outcome;
        return ApiProblems.OkOr(k, refusal);
    }
}
