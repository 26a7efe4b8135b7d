using Pitwall.Server.Hosting.Auth;
using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.LocationAlarm;

/// <summary>The notifications the location alarm sends (D2): both share a title, so their labels tell them apart.</summary>
internal static class GeofenceNotifications
{
    /// <summary>After the vehicle alarm.</summary>
    public const int Order = 30;

    public static readonly NotificationType GeofenceEntered = new("geofence.entered", "Location alarm", false, NotificationChannels.InAppAndPush)
    {
        Label = "Location alarm: entering an area",
        AppScope = Scopes.ReadLocation,
    };

    public static readonly NotificationType GeofenceExited = new("geofence.exited", "Location alarm", false, NotificationChannels.InAppAndPush)
    {
        Label = "Location alarm: leaving an area",
        AppScope = Scopes.ReadLocation,
    };

    public static readonly IReadOnlyList<NotificationType> All = [GeofenceEntered, GeofenceExited];

    // The sentences, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate Entered = new("notification:geofence.entered");
    public static readonly NotificationTemplate Exited = new("notification:geofence.exited");

    public static readonly IReadOnlyList<NotificationTemplate> Templates = [Entered, Exited];
}
