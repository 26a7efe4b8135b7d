using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.ValetAlarm;

/// <summary>The notifications the valet alarm sends (D3).</summary>
internal static class ValetNotifications
{
    /// <summary>After the location alarm.</summary>
    public const int Order = 40;

    public static readonly NotificationType ValetSpeedExceeded = new("valet.speed_exceeded", "Valet alarm: speed", true, NotificationChannels.InAppPushAndSms);
    public static readonly NotificationType ValetRadiusExceeded = new("valet.radius_exceeded", "Valet alarm: distance", true, NotificationChannels.InAppPushAndSms);
    public static readonly NotificationType ValetEnded = new("valet.ended", "Valet alarm ended", false, NotificationChannels.InAppAndPush);

    public static readonly IReadOnlyList<NotificationType> All = [ValetSpeedExceeded, ValetRadiusExceeded, ValetEnded];

    // The sentences, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate SpeedExceeded = new("notification:valet.speed_exceeded");
    public static readonly NotificationTemplate RadiusExceeded = new("notification:valet.radius_exceeded");
    public static readonly NotificationTemplate Ended = new("notification:valet.ended");

    public static readonly IReadOnlyList<NotificationTemplate> Templates = [SpeedExceeded, RadiusExceeded, Ended];
}
