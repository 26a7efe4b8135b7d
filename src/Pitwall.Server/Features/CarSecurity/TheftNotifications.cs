using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>The notifications Car Security sends the car's users (E1–E5).</summary>
internal static class TheftNotifications
{
    /// <summary>Last in the users' lists.</summary>
    public const int Order = 60;

    public static readonly NotificationType TheftCaseOpened = new("theft.case_opened", "Car Security: theft alarm", true, NotificationChannels.InAppPushAndSms);
    public static readonly NotificationType TheftConfirmed = new("theft.confirmed", "Car Security: handed to the police", true, NotificationChannels.InAppAndPush);
    public static readonly NotificationType TheftCaseClosed = new("theft.case_closed", "Car Security: case closed", false, NotificationChannels.InAppAndPush);
    public static readonly NotificationType TheftHealthCheckMissed = new("theft.health_check_missed", "Car Security: health check missed", false,
        [NotificationChannels.InApp, NotificationChannels.Push, NotificationChannels.Email]);

    public static readonly IReadOnlyList<NotificationType> All = [TheftCaseOpened, TheftConfirmed, TheftCaseClosed, TheftHealthCheckMissed];
}
