namespace Pitwall.Server.Features.Notifications;

/// <summary>The channels a notification can take; users switch them per type.</summary>
public static class NotificationChannels
{
    public const string InApp = "in_app";
    public const string Push = "push";
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Webhook = "webhook";

    public static readonly IReadOnlyList<string> All = [InApp, Push, Sms, Email, Webhook];

    /// <summary>The usual defaults a feature gives its types.</summary>
    public static readonly IReadOnlyList<string> InAppAndPush = [InApp, Push];
    public static readonly IReadOnlyList<string> InAppAndEmail = [InApp, Email];
    public static readonly IReadOnlyList<string> InAppPushAndSms = [InApp, Push, Sms];
}

/// <summary>A kind of notification; the feature that sends it declares it in its own folder and registers it
/// (<see cref="NotificationTypeServiceCollectionExtensions.AddNotificationTypes"/>).</summary>
/// <param name="Id">The stable id preferences, webhooks and the API name (<c>feature.event</c>).</param>
/// <param name="Title">Short English heading for push and e-mail subjects.</param>
/// <param name="Urgent">Delivered during the user's quiet hours too (an alarm cannot wait until morning).</param>
/// <param name="DefaultChannels">The channels used until the user says otherwise.</param>
public sealed record NotificationType(string Id, string Title, bool Urgent, IReadOnlyList<string> DefaultChannels)
{
    /// <summary>What the type is about in the portal's lists (an English text key): the title, unless types share one
    /// (entering and leaving an area).</summary>
    public string Label { get; init; } = Title;

    /// <summary>The third-party scope an owner's consent must give an app for a car before the app's webhooks get this type for
    /// it (e.g. <c>read_charge</c>); null: never sent to apps' webhooks.</summary>
    public string? AppScope { get; init; }
}
