using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>What the driver hears at each step of a breakdown or emergency call (F2).</summary>
internal static class BreakdownNotifications
{
    /// <summary>After the Smart Service.</summary>
    public const int Order = 78;

    public static readonly NotificationType Received = new("breakdown.received", "Breakdown call received", true, NotificationChannels.InAppAndPush);

    /// <summary>Help on its way with its estimated arrival, a tow with its destination, or solved by phone.</summary>
    public static readonly NotificationType Help = new("breakdown.help", "Breakdown help", true, NotificationChannels.InAppAndPush);

    public static readonly NotificationType Closed = new("breakdown.closed", "Breakdown call closed", false, NotificationChannels.InAppAndPush);

    public static readonly IReadOnlyList<NotificationType> All = [Received, Help, Closed];

    // The sentences, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate BreakdownReceived = new("notification:breakdown.received");
    public static readonly NotificationTemplate EmergencyReceived = new("notification:emergency.received");
    public static readonly NotificationTemplate HelpOnItsWay = new("notification:breakdown.help");
    public static readonly NotificationTemplate HelpWithEta = new("notification:breakdown.help_eta");
    public static readonly NotificationTemplate Tow = new("notification:breakdown.tow");
    public static readonly NotificationTemplate TowWithEta = new("notification:breakdown.tow_eta");
    public static readonly NotificationTemplate SolvedByPhone = new("notification:breakdown.solved_by_phone");
    public static readonly NotificationTemplate CallClosed = new("notification:breakdown.closed");

    public static readonly IReadOnlyList<NotificationTemplate> Templates =
        [BreakdownReceived, EmergencyReceived, HelpOnItsWay, HelpWithEta, Tow, TowWithEta, SolvedByPhone, CallClosed];
}
