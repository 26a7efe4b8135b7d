using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Notifications;

/// <summary>
/// An account's notification choices and webhook subscriptions with their rules, for the API and the portal alike: what a
/// change may say (known types, switchable channels, quiet hours as HH:mm in an IANA zone), what a webhook may point at,
/// and how many an account may have.
/// </summary>
public sealed class NotificationSettings(
    NotificationStore store, INotificationTypes notificationTypes, WebhookUrlPolicy webhookUrls, TimeProvider time)
{
    public const int MaxWebhooks = 5;

    /// <summary>The channels a user can switch per type; the in-app inbox is always on.</summary>
    public static readonly IReadOnlyList<string> SwitchableChannels =
        [NotificationChannels.Push, NotificationChannels.Sms, NotificationChannels.Email, NotificationChannels.Webhook];

    /// <summary>Every type with each channel on or off (the user's choice, else the type's default), and the quiet hours.</summary>
    public async Task<NotificationPreferencesResponse> PreferencesAsync(string accountId, CancellationToken cancellationToken)
    {
        var (switches, quiet) = await store.PreferencesAsync(accountId, cancellationToken);
        var types = notificationTypes.All.Select(type => new TypePreference(type.Id, type.Title, type.Urgent,
            NotificationChannels.All.ToDictionary(channel => channel, channel => channel == NotificationChannels.InApp ||
                (switches.TryGetValue((type.Id, channel), out var on) ? on : DeliveryChoices.IsOnByDefault(type, channel))))).ToList();
        return new(types, quiet is null ? null : new QuietHoursDto(QuietHours.Format(quiet.FromMinute), QuietHours.Format(quiet.ToMinute), quiet.TimeZone));
    }

    /// <summary>Switches channels per type and sets or clears the quiet hours, all or nothing.</summary>
    /// <returns>The fields that are wrong (<c>switches[i].type</c>, <c>quietHours.from</c>, …), or null when saved.</returns>
    public async Task<ValidationErrors?> UpdatePreferencesAsync(string accountId, UpdateNotificationPreferencesRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var switches = request.Switches ?? [];
        for (var i = 0; i < switches.Count; i++)
        {
            if (notificationTypes.Find(switches[i].Type ?? "") is null)
            {
                errors.Add($"switches[{i}].type", $"One of: {string.Join(", ", notificationTypes.All.Select(t => t.Id))}.");
            }
            if (!SwitchableChannels.Contains(switches[i].Channel))
            {
                errors.Add($"switches[{i}].channel", "push, sms, email or webhook (the in-app inbox is always on).");
            }
        }
        var quiet = ParseQuietHours(request.QuietHours, errors);
        if (errors.Any)
        {
            return errors;
        }
        await store.SavePreferencesAsync(accountId, switches.Select(s => (s.Type!, s.Channel!, s.Enabled)),
            request.ClearQuietHours || quiet is not null, request.ClearQuietHours ? null : quiet, cancellationToken);
        return null;
    }

    private static QuietHours? ParseQuietHours(QuietHoursDto? dto, ValidationErrors errors)
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

    /// <summary>The account's webhooks, each with how its deliveries are going.</summary>
    public async Task<IReadOnlyList<(WebhookSubscription Webhook, WebhookState State)>> WebhooksAsync(string accountId, CancellationToken cancellationToken)
    {
        var webhooks = await store.WebhooksAsync(accountId, cancellationToken);
        var attempts = await store.WebhookAttemptsAsync(accountId, 20 * MaxWebhooks, cancellationToken);
        return [.. webhooks.Select(w => (w, WebhookState.Of(w, attempts.Where(a => a.WebhookId == w.Id))))];
    }

    /// <summary>Subscribes a URL to the account's notifications (all types when none are named), with a new signing secret.</summary>
    /// <returns>The subscription, its secret included (shown to the user this once); or the fields that are wrong; or
    /// <c>LimitReached</c> when the account has <see cref="MaxWebhooks"/> already.</returns>
    public async Task<(WebhookSubscription? Created, ValidationErrors? Errors, bool LimitReached)> CreateWebhookAsync(
        string accountId, CreateWebhookRequest request, CancellationToken cancellationToken, string? clientId = null)
    {
        var errors = new ValidationErrors();
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || request.Url!.Length > 2000)
        {
            errors.Add("url", "An absolute https URL without credentials, at most 2000 characters.");
        }
        else if (webhookUrls.Refusal(url) is { } refused)
        {
            errors.Add("url", refused);
        }
        var types = request.Types ?? [];
        foreach (var type in types.Where(t => notificationTypes.Find(t) is null))
        {
            errors.Add("types", $"Unknown type '{type}'; one of: {string.Join(", ", notificationTypes.All.Select(t => t.Id))}.");
        }
        if (errors.Any)
        {
            return (null, errors, false);
        }
        // The owner's own and each app's count apart: an app cannot use up the owner's subscriptions.
        if ((await store.WebhooksAsync(accountId, cancellationToken)).Count(w => w.ClientId == clientId) >= MaxWebhooks)
        {
            return (null, null, true);
        }
        var webhook = new WebhookSubscription(Guid.NewGuid().ToString("N"), url!.AbsoluteUri, Channels.StandardWebhookSignature.GenerateSecret(),
            types.Count == 0 ? ["*"] : [.. types.Distinct()], true, time.GetUtcNow(), clientId);
        await store.AddWebhookAsync(accountId, webhook, cancellationToken);
        return (webhook, null, false);
    }
}
