using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Notifications;

/// <summary><c>/api/v1/me/…</c>: the account's notification inbox with delivery status, its choices, push devices and webhooks.</summary>
internal static class NotificationEndpoints
{
    private const int MaxDevices = 10;
    private const int MaxWebhooks = 5;

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("/api/v1/me").WithTags("Notifications");
        me.MapGet("/notifications", Inbox).RequireAuthorization(Scopes.ReadAccount)
            .WithSummary("The inbox, newest first, with each channel's delivery status.");
        me.MapPost("/notifications/{id}/read", MarkRead).RequireAuthorization(Scopes.ControlAccount).WithSummary("Mark a notification read.");
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
        ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken, bool unread = false, int limit = 50) =>
        TypedResults.Ok<IReadOnlyList<NotificationResponse>>(
            [.. (await store.InboxAsync(user.AccountIdOf(), unread, Math.Clamp(limit, 1, 200), cancellationToken)).Select(NotificationResponse.From)]);

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(
        string id, ClaimsPrincipal user, NotificationStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.MarkReadAsync(user.AccountIdOf(), id, time.GetUtcNow(), cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("The notification");

    private static async Task<Ok<NotificationPreferencesResponse>> Preferences(ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReadPreferencesAsync(user.AccountIdOf(), store, cancellationToken));

    internal static async Task<NotificationPreferencesResponse> ReadPreferencesAsync(string accountId, NotificationStore store, CancellationToken cancellationToken)
    {
        var (switches, quiet) = await store.PreferencesAsync(accountId, cancellationToken);
        var types = NotificationTypes.All.Select(type => new TypePreference(type.Id, type.Title, type.Urgent,
            NotificationChannels.All.ToDictionary(channel => channel, channel => channel == NotificationChannels.InApp ||
                (switches.TryGetValue((type.Id, channel), out var on) ? on : DeliveryChoices.IsOnByDefault(type, channel))))).ToList();
        return new(types, quiet is null ? null : new QuietHoursDto(QuietHours.Format(quiet.FromMinute), QuietHours.Format(quiet.ToMinute), quiet.TimeZone));
    }

    private static async Task<Results<Ok<NotificationPreferencesResponse>, ValidationProblem>> UpdatePreferences(
        UpdateNotificationPreferencesRequest request, ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var switches = request.Switches ?? [];
        for (var i = 0; i < switches.Count; i++)
        {
            if (NotificationTypes.Find(switches[i].Type ?? "") is null)
            {
                errors.Add($"switches[{i}].type", $"One of: {string.Join(", ", NotificationTypes.All.Select(t => t.Id))}.");
            }
            if (switches[i].Channel is not (NotificationChannels.Push or NotificationChannels.Sms or NotificationChannels.Email or NotificationChannels.Webhook))
            {
                errors.Add($"switches[{i}].channel", "push, sms, email or webhook (the in-app inbox is always on).");
            }
        }
        var quiet = ParseQuietHours(request.QuietHours, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        await store.SavePreferencesAsync(user.AccountIdOf(), switches.Select(s => (s.Type!, s.Channel!, s.Enabled)),
            request.ClearQuietHours || quiet is not null, request.ClearQuietHours ? null : quiet, cancellationToken);
        return TypedResults.Ok(await ReadPreferencesAsync(user.AccountIdOf(), store, cancellationToken));
    }

    internal static QuietHours? ParseQuietHours(QuietHoursDto? dto, ValidationErrors errors)
    {
        if (dto is null)
        {
            return null;
        }
        if (!QuietHours.TryParseTime(dto.From, out var from))
        {
            errors.Add("quietHours.from", "A local time HH:mm, e.g. 22:00.");
        }
        if (!QuietHours.TryParseTime(dto.To, out var to))
        {
            errors.Add("quietHours.to", "A local time HH:mm, e.g. 07:00.");
        }
        if (!QuietHours.IsKnownTimeZone(dto.TimeZone))
        {
            errors.Add("quietHours.timeZone", "An IANA time zone, e.g. Europe/Berlin.");
        }
        return errors.Any ? null : new QuietHours(from, to, dto.TimeZone!);
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
            return ApiProblems.Conflict(ErrorCodes.DeviceLimit, $"At most {MaxDevices} devices receive push notifications; remove one first.");
        }
        var device = new PushDevice(Guid.NewGuid().ToString("N"), request.Platform!, request.Token!, request.Name!.Trim(), time.GetUtcNow());
        await store.AddDeviceAsync(accountId, device, cancellationToken);
        return TypedResults.Created($"/api/v1/me/push-devices/{device.Id}", new PushDeviceResponse(device.Id, device.Platform, device.Name, device.CreatedAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveDevice(string id, ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken) =>
        await store.RemoveDeviceAsync(user.AccountIdOf(), id, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound("The device");

    private static async Task<Ok<IReadOnlyList<WebhookResponse>>> Webhooks(ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<WebhookResponse>>(
            [.. (await store.WebhooksAsync(user.AccountIdOf(), cancellationToken)).Select(w => new WebhookResponse(w.Id, w.Url, w.Types, w.Active, w.CreatedAt))]);

    private static async Task<Results<Created<WebhookResponse>, ValidationProblem, ProblemHttpResult>> CreateWebhook(
        CreateWebhookRequest request, ClaimsPrincipal user, NotificationStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || request.Url!.Length > 2000 ||
            !string.IsNullOrEmpty(url.UserInfo))
        {
            errors.Add("url", "An absolute https URL without credentials, at most 2000 characters.");
        }
        var types = request.Types ?? [];
        foreach (var type in types.Where(t => NotificationTypes.Find(t) is null))
        {
            errors.Add("types", $"Unknown type '{type}'; one of: {string.Join(", ", NotificationTypes.All.Select(t => t.Id))}.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        var accountId = user.AccountIdOf();
        if ((await store.WebhooksAsync(accountId, cancellationToken)).Count >= MaxWebhooks)
        {
            return ApiProblems.Conflict(ErrorCodes.WebhookLimit, $"At most {MaxWebhooks} webhook subscriptions; remove one first.");
        }
        var webhook = new WebhookSubscription(Guid.NewGuid().ToString("N"), url!.AbsoluteUri, NewSecret(),
            types.Count == 0 ? ["*"] : [.. types.Distinct()], true, time.GetUtcNow());
        await store.AddWebhookAsync(accountId, webhook, cancellationToken);
        return TypedResults.Created($"/api/v1/me/webhooks/{webhook.Id}",
            new WebhookResponse(webhook.Id, webhook.Url, webhook.Types, true, webhook.CreatedAt, webhook.Secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveWebhook(string id, ClaimsPrincipal user, NotificationStore store, CancellationToken cancellationToken) =>
        await store.RemoveWebhookAsync(user.AccountIdOf(), id, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound("The webhook");

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
