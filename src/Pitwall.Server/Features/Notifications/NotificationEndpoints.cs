using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Notifications;

/// <summary><c>/api/v1/me/…</c>: the account's notification inbox with delivery status, its choices, push devices and webhooks.</summary>
internal static class NotificationEndpoints
{
    private const int MaxDevices = 10;

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("/api/v1/me").WithTags("Notifications");
        me.MapGet("/notifications", Inbox).RequireAuthorization(Scopes.ReadAccount)
            .WithSummary("The inbox, newest first, with each channel's delivery status.");
        me.MapPost("/notifications/{id}/read", MarkRead).RequireAuthorization(Scopes.ControlAccount).WithSummary("Mark a notification read.");
        me.MapPost("/notifications/read-all", MarkAllRead).RequireAuthorization(Scopes.ControlAccount)
            .WithSummary("Mark every unread notification read; answers how many were unread.");
        me.MapGet("/notifications/unread-count", UnreadCount).RequireAuthorization(Scopes.ReadAccount)
            .WithSummary("How many notifications are unread (the badge beside the inbox).");
        me.MapGet("/notification-preferences", Preferences).RequireAuthorization(Scopes.ReadAccount)
            .WithSummary("Channels per notification type and the quiet hours.");
        me.MapPut("/notification-preferences", UpdatePreferences).RequireAuthorization(Scopes.ControlAccount)
            .WithSummary("Switch channels per type; set or clear the quiet hours.");
        me.MapGet("/push-devices", Devices).RequireAuthorization(Scopes.ReadAccount).WithSummary("The devices that receive push notifications.");
        me.MapPost("/push-devices", RegisterDevice).RequireAuthorization(Scopes.ControlAccount).WithSummary("Register a device for push (FCM or APNs token).");
        me.MapDelete("/push-devices/{id}", RemoveDevice).RequireAuthorization(Scopes.ControlAccount).WithSummary("Stop pushing to a device.");
        me.MapGet("/webhooks", Webhooks).RequireAuthorization(Scopes.ReadAccount).WithSummary("Outgoing webhook subscriptions.");
        me.MapPost("/webhooks", CreateWebhook).RequireAuthorization(Scopes.ControlAccount)
            .WithSummary("Subscribe a URL to notifications, signed per Standard Webhooks; the secret is shown once.");
        me.MapDelete("/webhooks/{id}", RemoveWebhook).RequireAuthorization(Scopes.ControlAccount).WithSummary("Remove a webhook subscription.");
    }

    private static async Task<Ok<IReadOnlyList<NotificationResponse>>> Inbox(
        ClaimsPrincipal user, HttpRequest request, NotificationStore store, INotificationTypes types, NotificationRenderer renderer, IAccountDirectory accounts,
        CancellationToken cancellationToken, bool unread = false, int limit = 50)
    {
        // The language the client asks for (Accept-Language), else the account's; times in the account's time zone.
        var account = await accounts.FindAsync(user.AccountIdOf(), cancellationToken);
        var asked = request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1)
            .Select(l => NotificationReader.Language(l.Value.Value)).FirstOrDefault(l => l is not null);
        var reader = NotificationReader.Of(asked ?? account?.Locale, account?.TimeZone);
        return TypedResults.Ok<IReadOnlyList<NotificationResponse>>([.. (await store.InboxAsync(user.AccountIdOf(), unread, Math.Clamp(limit, 1, 200), cancellationToken))
            .Select(e => NotificationResponse.From(e, types, renderer, reader))]);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(
        string id, ClaimsPrincipal user, NotificationStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.MarkReadAsync(user.AccountIdOf(), id, time.GetUtcNow(), cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("The notification");

    private static async Task<Ok<UnreadCountResponse>> MarkAllRead(
        ClaimsPrincipal user, NotificationStore store, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(new UnreadCountResponse(await store.MarkAllReadAsync(user.AccountIdOf(), time.GetUtcNow(), cancellationToken)));

    private static async Task<Ok<UnreadCountResponse>> UnreadCount(ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new UnreadCountResponse(await store.UnreadCountAsync(user.AccountIdOf(), cancellationToken)));

    private static async Task<Ok<NotificationPreferencesResponse>> Preferences(
        ClaimsPrincipal user, NotificationSettings settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.PreferencesAsync(user.AccountIdOf(), cancellationToken));

    private static async Task<Results<Ok<NotificationPreferencesResponse>, ValidationProblem>> UpdatePreferences(
        UpdateNotificationPreferencesRequest request, ClaimsPrincipal user, NotificationSettings settings, CancellationToken cancellationToken)
    {
        if (await settings.UpdatePreferencesAsync(user.AccountIdOf(), request, cancellationToken) is { } errors)
        {
            return ApiProblems.Validation(errors);
        }
        return TypedResults.Ok(await settings.PreferencesAsync(user.AccountIdOf(), cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<PushDeviceResponse>>> Devices(ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<PushDeviceResponse>>(
            [.. (await store.DevicesAsync(user.AccountIdOf(), cancellationToken)).Select(d => new PushDeviceResponse(d.Id, d.Platform, d.Name, d.CreatedAt))]);

    private static async Task<Results<Created<PushDeviceResponse>, ValidationProblem, ProblemHttpResult>> RegisterDevice(
        RegisterDeviceRequest request, ClaimsPrincipal user, NotificationStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Platform is not ("fcm" or "apns"))
        {
            errors.Add("platform", "fcm or apns.");
        }
        if (string.IsNullOrWhiteSpace(request.Token) || request.Token.Length > 4096 || request.Token.Any(char.IsWhiteSpace))
        {
            errors.Add("token", "The device's registration token, 1 to 4096 characters without spaces.");
        }
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 60)
        {
            errors.Add("name", "1 to 60 characters.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        var accountId = user.AccountIdOf();
        var existing = await store.DevicesAsync(accountId, cancellationToken);
        if (existing.Count >= MaxDevices && !existing.Any(d => d.Platform == request.Platform && d.Token == request.Token))
        {
            return ApiProblems.Conflict(NotificationErrorCodes.DeviceLimit, $"At most {MaxDevices} devices receive push notifications; remove one first.");
        }
        var device = new PushDevice(Guid.NewGuid().ToString("N"), request.Platform!, request.Token!, request.Name!.Trim(), time.GetUtcNow());
        await store.AddDeviceAsync(accountId, device, cancellationToken);
        return TypedResults.Created($"/api/v1/me/push-devices/{device.Id}", new PushDeviceResponse(device.Id, device.Platform, device.Name, device.CreatedAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveDevice(string id, ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken) =>
        await store.RemoveDeviceAsync(user.AccountIdOf(), id, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound("The device");

    private static async Task<Ok<IReadOnlyList<WebhookResponse>>> Webhooks(ClaimsPrincipal user, NotificationSettings settings, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<WebhookResponse>>([.. (await settings.WebhooksAsync(user.AccountIdOf(), cancellationToken))
            .Select(x => new WebhookResponse(x.Webhook.Id, x.Webhook.Url, x.Webhook.Types, x.Webhook.Active, x.Webhook.CreatedAt, null, x.State.State,
                x.State.LastError, x.State.FailingSince, x.Webhook.ClientId))]);

    private static async Task<Results<Created<WebhookResponse>, ValidationProblem, ProblemHttpResult>> CreateWebhook(
        CreateWebhookRequest request, ClaimsPrincipal user, NotificationSettings settings, CancellationToken cancellationToken)
    {
        var (webhook, errors, limitReached) = await settings.CreateWebhookAsync(user.AccountIdOf(), request, cancellationToken);
        if (errors is not null)
        {
            return ApiProblems.Validation(errors);
        }
        if (limitReached)
        {
            return ApiProblems.Conflict(NotificationErrorCodes.WebhookLimit, $"At most {NotificationSettings.MaxWebhooks} webhook subscriptions; remove one first.");
        }
        return TypedResults.Created($"/api/v1/me/webhooks/{webhook!.Id}",
            new WebhookResponse(webhook.Id, webhook.Url, webhook.Types, true, webhook.CreatedAt, webhook.Secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveWebhook(string id, ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken) =>
        await store.RemoveWebhookAsync(user.AccountIdOf(), id, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound("The webhook");
}
