using System.Text.Json;

namespace Pitwall.Server.Features.Notifications;

internal sealed record DeliveryResponse(string Channel, string Target, string State, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset? DeliveredAt);

/// <param name="Title">The type's title and <paramref name="Message"/> its text, in the reader's language (Accept-Language, else the
/// account's) with times in the account's time zone.</param>
/// <param name="Template">The key of the text's template (e.g. <c>notification:contract.renews</c>); null for notifications sent
/// before templates, whose message is English.</param>
/// <param name="Args">The template's arguments by placeholder name (times ISO 8601 UTC), for a client that renders them itself.</param>
/// <param name="Deliveries">Each channel the notification went out on, with its delivery status.</param>
internal sealed record NotificationResponse(
    string Id, string Vin, string Type, string Title, string Message, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, IReadOnlyList<DeliveryResponse> Deliveries,
    string? Template, JsonElement? Args)
{
    public static NotificationResponse From(InboxEntry e, INotificationTypes types, NotificationRenderer renderer, NotificationReader reader) => new(
        e.Id, e.Vin, e.Type, renderer.Title(types.Find(e.Type), e.Type, reader), renderer.Render(e.Template, e.Args, e.Message, reader), e.CreatedAt, e.ReadAt,
        [.. e.Deliveries.Select(d => new DeliveryResponse(
            d.Channel, DeliveryTarget.Parse(d.Target).Kind, d.State, d.Attempts, d.State == "pending" ? d.NextAttemptAt : null, d.LastError, d.DeliveredAt))],
        e.Template, e.Args is null ? null : JsonDocument.Parse(e.Args).RootElement.Clone());
}

/// <param name="Channels">Channel name → on/off. The in-app inbox is always on.</param>
public sealed record TypePreference(string Type, string Title, bool Urgent, IReadOnlyDictionary<string, bool> Channels);

/// <param name="From">Local time HH:mm when the quiet hours start.</param>
/// <param name="To">Local time HH:mm when they end (may be earlier than From: across midnight).</param>
/// <param name="TimeZone">IANA time zone, e.g. Europe/Berlin.</param>
public sealed record QuietHoursDto(string? From, string? To, string? TimeZone);

public sealed record NotificationPreferencesResponse(IReadOnlyList<TypePreference> Types, QuietHoursDto? QuietHours);

public sealed record ChannelSwitch(string? Type, string? Channel, bool Enabled);

/// <param name="Switches">Channels to switch on or off per type; others stay as they are.</param>
/// <param name="QuietHours">Set to replace the quiet hours; see <paramref name="ClearQuietHours"/> to remove them.</param>
public sealed record UpdateNotificationPreferencesRequest(IReadOnlyList<ChannelSwitch>? Switches, QuietHoursDto? QuietHours, bool ClearQuietHours = false);

/// <param name="Platform"><c>fcm</c> (Android, web) or <c>apns</c> (iOS).</param>
/// <param name="Token">The registration token the platform gave the app.</param>
/// <param name="Name">A name the owner recognises, e.g. "Anna's phone".</param>
internal sealed record RegisterDeviceRequest(string? Platform, string? Token, string? Name);

internal sealed record PushDeviceResponse(string Id, string Platform, string Name, DateTimeOffset CreatedAt);

/// <param name="Url">Where to POST; https.</param>
/// <param name="Types">Notification types to send; empty or absent = all.</param>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Types);

/// <param name="Secret">The signing secret (Standard Webhooks, <c>whsec_…</c>); shown only in the answer to its creation.</param>
/// <param name="State">active; failing (its latest three or more delivery attempts in a row went wrong: <c>lastError</c> says
/// why, <c>failingSince</c> since when); stopped (the receiver answered 410 Gone, nothing is sent any more).</param>
/// <param name="App">The client id of the third-party app that subscribed it with its token; null for the owner's own.</param>
internal sealed record WebhookResponse(
    string Id, string Url, IReadOnlyList<string> Types, bool Active, DateTimeOffset CreatedAt, string? Secret = null, string State = WebhookState.Active,
    string? LastError = null, DateTimeOffset? FailingSince = null, string? App = null);

/// <param name="Count">Unread notifications (for read-all: how many it marked read).</param>
internal sealed record UnreadCountResponse(int Count);
