using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Notifications;

/// <summary>
/// <c>/api/v1/app/webhooks</c>: a third-party app subscribes to the notifications of the owner who consented, with its own token
/// (issue 20). The subscription belongs to the owner's account (listed under <c>/api/v1/me/webhooks</c> with the app's client id,
/// removable there) and gets only the notifications of the cars the consent names, and only of the types whose scope the
/// consent gives for that car (charging needs <c>read_charge</c>, location alarms <c>read_location</c>, …); others never reach it.
/// </summary>
internal static class AppWebhookEndpoints
{
    public static void MapAppWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        var app = routes.MapGroup("/api/v1/app/webhooks").WithTags("Third-party apps").RequireAuthorization(PitwallClaims.ThirdPartyAppPolicy);
        app.MapGet("", List).WithSummary("The app's webhook subscriptions for this owner.");
        app.MapPost("", Create)
            .WithSummary("Subscribe the app's URL to this owner's notifications, only for consented cars and scopes; the secret is shown once.");
        app.MapDelete("/{id}", Remove).WithSummary("Remove one of the app's webhook subscriptions.");
    }

    private static string ClientOf(ClaimsPrincipal user) => user.FindFirstValue(PitwallClaims.ClientId)!;

    private static async Task<Ok<IReadOnlyList<WebhookResponse>>> List(ClaimsPrincipal user, NotificationSettings settings, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<WebhookResponse>>([.. (await settings.WebhooksAsync(user.AccountIdOf(), cancellationToken))
            .Where(x => x.Webhook.ClientId == ClientOf(user))
            .Select(x => new WebhookResponse(x.Webhook.Id, x.Webhook.Url, x.Webhook.Types, x.Webhook.Active, x.Webhook.CreatedAt, null, x.State.State,
                x.State.LastError, x.State.FailingSince, x.Webhook.ClientId))]);

    private static async Task<Results<Created<WebhookResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateWebhookRequest request, ClaimsPrincipal user, NotificationSettings settings, CancellationToken cancellationToken)
    {
        var (webhook, errors, limitReached) = await settings.CreateWebhookAsync(user.AccountIdOf(), request, cancellationToken, ClientOf(user));
        if (errors is not null)
        {
            return ApiProblems.Validation(errors);
        }
        if (limitReached)
        {
            return ApiProblems.Conflict(NotificationErrorCodes.WebhookLimit, $"At most {NotificationSettings.MaxWebhooks} webhook subscriptions; remove one first.");
        }
        return TypedResults.Created($"/api/v1/app/webhooks/{webhook!.Id}",
            new WebhookResponse(webhook.Id, webhook.Url, webhook.Types, true, webhook.CreatedAt, webhook.Secret, App: webhook.ClientId));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(string id, ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken) =>
        await store.RemoveWebhookAsync(user.AccountIdOf(), id, cancellationToken, ClientOf(user)) ? TypedResults.NoContent() : ApiProblems.NotFound("The webhook");
}
