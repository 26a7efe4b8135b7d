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
}

/// <param name="Title">Short English heading for push and e-mail subjects.</param>
/// <param name="Urgent">Delivered during the user's quiet hours too (an alarm cannot wait until morning).</param>
/// <param name="DefaultChannels">The channels used until the user says otherwise.</param>
public sealed record NotificationType(string Id, string Title, bool Urgent, IReadOnlyList<string> DefaultChannels);

/// <summary>Every kind of notification the platform sends; preferences and webhooks name these ids.</summary>
public static class NotificationTypes
{
    private static readonly string[] InAppAndPush = [NotificationChannels.InApp, NotificationChannels.Push];
    private static readonly string[] InAppAndEmail = [NotificationChannels.InApp, NotificationChannels.Email];
    private static readonly string[] InAppPushAndSms = [NotificationChannels.InApp, NotificationChannels.Push, NotificationChannels.Sms];

    public static readonly NotificationType ChargingError = new("charging.error", "Charging failed", false, InAppAndPush);
    public static readonly NotificationType ChargingPlugNotLocked = new("charging.plug_not_locked", "Charging plug not locked", false, InAppAndPush);
    public static readonly NotificationType ChargingStopped = new("charging.stopped", "Charging stopped", false, InAppAndPush);
    public static readonly NotificationType ClimateStoppedLowBattery = new("climate.stopped_low_battery", "Climatisation stopped", false, InAppAndPush);
    public static readonly NotificationType AlarmTriggered = new("alarm.triggered", "Vehicle alarm", true, InAppAndPush);
    public static readonly NotificationType GeofenceEntered = new("geofence.entered", "Location alarm", false, InAppAndPush);
    public static readonly NotificationType GeofenceExited = new("geofence.exited", "Location alarm", false, InAppAndPush);
    public static readonly NotificationType ValetSpeedExceeded = new("valet.speed_exceeded", "Valet alarm: speed", true, InAppPushAndSms);
    public static readonly NotificationType ValetRadiusExceeded = new("valet.radius_exceeded", "Valet alarm: distance", true, InAppPushAndSms);
    public static readonly NotificationType ValetEnded = new("valet.ended", "Valet alarm ended", false, InAppAndPush);
    public static readonly NotificationType ContractRenews = new("contract.renews", "Package renews", false, InAppAndEmail);
    public static readonly NotificationType ContractExpires = new("contract.expires", "Package ends", false, InAppAndEmail);
    public static readonly NotificationType ContractRenewalStopped = new("contract.renewal_stopped", "Package no longer renews", false, InAppAndEmail);
    public static readonly NotificationType TheftCaseOpened = new("theft.case_opened", "Car Security: theft alarm", true, InAppPushAndSms);
    public static readonly NotificationType TheftConfirmed = new("theft.confirmed", "Car Security: handed to the police", true, InAppAndPush);
    public static readonly NotificationType TheftCaseClosed = new("theft.case_closed", "Car Security: case closed", false, InAppAndPush);
    public static readonly NotificationType TheftHealthCheckMissed = new("theft.health_check_missed", "Car Security: health check missed", false,
        [NotificationChannels.InApp, NotificationChannels.Push, NotificationChannels.Email]);

    public static readonly IReadOnlyList<NotificationType> All =
    [
        ChargingError, ChargingPlugNotLocked, ChargingStopped, ClimateStoppedLowBattery, AlarmTriggered,
        GeofenceEntered, GeofenceExited, ValetSpeedExceeded, ValetRadiusExceeded, ValetEnded, ContractRenews, ContractExpires, ContractRenewalStopped,
        TheftCaseOpened, TheftConfirmed, TheftCaseClosed, TheftHealthCheckMissed,
    ];

    public static NotificationType? Find(string id) => All.FirstOrDefault(t => t.Id == id);
}
