using Pitwall.Server.Hosting.Auth;
using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.SmartService;

/// <summary>The notifications the Smart Service sends (F1): a part became due, a fault appeared.</summary>
internal static class SmartServiceNotifications
{
    /// <summary>After Car Security.</summary>
    public const int Order = 70;

    public static readonly NotificationType MaintenanceDue = new("service.due", "Maintenance due", false, NotificationChannels.InAppAndPush) { AppScope = Scopes.ReadHealth };

    public static readonly NotificationType FaultReported = new("service.fault", "Vehicle fault", false, NotificationChannels.InAppAndPush) { AppScope = Scopes.ReadHealth };

    public static readonly IReadOnlyList<NotificationType> All = [MaintenanceDue, FaultReported];
}
