using Pitwall.Server.Hosting.Auth;
using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.ChargingAndClimate;

/// <summary>The notifications E-Control and climate send when the driver must act (C6, C7).</summary>
internal static class ChargingNotifications
{
    /// <summary>First in the users' lists.</summary>
    public const int Order = 10;

    public static readonly NotificationType ChargingError = new("charging.error", "Charging failed", false, NotificationChannels.InAppAndPush) { AppScope = Scopes.ReadCharge };
    public static readonly NotificationType ChargingPlugNotLocked = new("charging.plug_not_locked", "Charging plug not locked", false, NotificationChannels.InAppAndPush) { AppScope = Scopes.ReadCharge };
    public static readonly NotificationType ChargingStopped = new("charging.stopped", "Charging stopped", false, NotificationChannels.InAppAndPush) { AppScope = Scopes.ReadCharge };
    public static readonly NotificationType ClimateStoppedLowBattery = new("climate.stopped_low_battery", "Climatisation stopped", false, NotificationChannels.InAppAndPush) { AppScope = Scopes.ReadClimate };

    public static readonly IReadOnlyList<NotificationType> All = [ChargingError, ChargingPlugNotLocked, ChargingStopped, ClimateStoppedLowBattery];

    // The sentences, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate ChargingErrorText = new("notification:charging.error");
    public static readonly NotificationTemplate ChargingStoppedText = new("notification:charging.stopped");
    public static readonly NotificationTemplate PlugNotLockedText = new("notification:charging.plug_not_locked");
    public static readonly NotificationTemplate ClimateStoppedText = new("notification:climate.stopped_low_battery");

    public static readonly IReadOnlyList<NotificationTemplate> Templates = [ChargingErrorText, ChargingStoppedText, PlugNotLockedText, ClimateStoppedText];
}
