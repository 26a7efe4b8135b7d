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

    // The sentences, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate ReportedByCar = new("notification:theft.reported_by_car");
    public static readonly NotificationTemplate Reported = new("notification:theft.reported");
    public static readonly NotificationTemplate HealthCheckMissedText = new("notification:theft.health_check_missed");
    public static readonly NotificationTemplate FalseAlarm = new("notification:theft.false_alarm");
    public static readonly NotificationTemplate Confirmed = new("notification:theft.confirmed");
    public static readonly NotificationTemplate Recovered = new("notification:theft.recovered");

    public static readonly IReadOnlyList<NotificationTemplate> Templates = [ReportedByCar, Reported, HealthCheckMissedText, FalseAlarm, Confirmed, Recovered];
}
