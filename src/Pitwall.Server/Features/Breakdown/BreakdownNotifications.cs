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
}
