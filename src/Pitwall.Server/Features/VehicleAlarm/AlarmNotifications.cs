using Pitwall.Server.Hosting.Auth;
using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.VehicleAlarm;

/// <summary>The notification the vehicle alarm sends (D1).</summary>
internal static class AlarmNotifications
{
    /// <summary>After charging and climate.</summary>
    public const int Order = 20;

    public static readonly NotificationType AlarmTriggered = new("alarm.triggered", "Vehicle alarm", true, NotificationChannels.InAppAndPush) { AppScope = Scopes.ReadVehicleInfo };

    public static readonly IReadOnlyList<NotificationType> All = [AlarmTriggered];

    // The sentences, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate Triggered = new("notification:alarm.triggered");

    public static readonly IReadOnlyList<NotificationTemplate> Templates = [Triggered];
}
