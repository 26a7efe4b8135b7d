using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary><c>/api/v1/admin/software/campaigns</c>: administrators roll a distribution set out in waves, and pause, resume or cancel it.</summary>
internal static class CampaignEndpoints
{
    public static void MapCampaignEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin/software/campaigns").WithTags("Software updates").RequireAuthorization(Scopes.ControlAdmin);
        group.MapGet("/", List).WithSummary("Every campaign, newest first, with each wave's progress.");
        group.MapPost("/", Create).WithSummary("Start a campaign: a set for targets named or picked by a filter, in waves, with an error threshold.");
        group.MapGet("/{id}", Get).WithSummary("One campaign with each wave's progress.");
        group.MapPost("/{id}/pause", Pause).WithSummary("Pause a running campaign: no further wave starts until it is resumed.");
        group.MapPost("/{id}/resume", Resume).WithSummary("Resume a paused campaign: the current wave's errors are accepted.");
        group.MapPost("/{id}/cancel", Cancel).WithSummary("Cancel a campaign: no further wave; its open actions are asked to cancel.");
    }

    private static async Task<Ok<List<CampaignResponse>>> List(CampaignStore campaigns, CancellationToken cancellationToken)
    {
        var list = new List<CampaignResponse>();
        foreach (var campaign in await campaigns.ListAsync(null, cancellationToken))
        {
            list.Add(CampaignResponse.From(campaign, await campaigns.ProgressAsync(campaign.Id, cancellationToken)));
        }
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Created<CampaignResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CampaignCreateRequest request, CampaignRunner runner, CampaignStore campaigns, CancellationToken cancellationToken)
    {
        var (campaign, refusal) = await runner.CreateAsync(request, cancellationToken);
        return refusal is not null
            ? ApiProblems.Refused<Created<CampaignResponse>>(refusal)
            : TypedResults.Created($"/api/v1/admin/software/campaigns/{campaign!.Id}", CampaignResponse.From(campaign, await campaigns.ProgressAsync(campaign.Id, cancellationToken)));
    }

    private static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> Get(string id, CampaignStore campaigns, CancellationToken cancellationToken) =>
        await campaigns.FindAsync(id, cancellationToken) is { } campaign
            ? TypedResults.Ok(CampaignResponse.From(campaign, await campaigns.ProgressAsync(id, cancellationToken)))
            : ApiProblems.NotFound("The campaign");

    private static async Task<Results<Ok<CampaignResponse>, ValidationProblem, ProblemHttpResult>> Pause(
        string id, CampaignRunner runner, CampaignStore campaigns, CancellationToken cancellationToken) =>
        await Answer(await runner.PauseAsync(id, cancellationToken), campaigns, cancellationToken);

    private static async Task<Results<Ok<CampaignResponse>, ValidationProblem, ProblemHttpResult>> Resume(
        string id, CampaignRunner runner, CampaignStore campaigns, CancellationToken cancellationToken) =>
        await Answer(await runner.ResumeAsync(id, cancellationToken), campaigns, cancellationToken);

    private static async Task<Results<Ok<CampaignResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        string id, CampaignRunner runner, CampaignStore campaigns, CancellationToken cancellationToken) =>
        await Answer(await runner.CancelAsync(id, cancellationToken), campaigns, cancellationToken);

    private static async Task<Results<Ok<CampaignResponse>, ValidationProblem, ProblemHttpResult>> Answer(
        (Campaign? Campaign, Refusal? Refusal) result, CampaignStore campaigns, CancellationToken cancellationToken) =>
        result.Refusal is { } refusal
            ? ApiProblems.Refused<Ok<CampaignResponse>>(refusal)
            : TypedResults.Ok(CampaignResponse.From(result.Campaign!, await campaigns.ProgressAsync(result.Campaign!.Id, cancellationToken)));
}
