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

    // The sentences, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate Due = new("notification:service.due");
    public static readonly NotificationTemplate DueBy = new("notification:service.due_by");
    public static readonly NotificationTemplate DueAt = new("notification:service.due_at");
    public static readonly NotificationTemplate DueByOrAt = new("notification:service.due_by_or_at");
    public static readonly NotificationTemplate Fault = new("notification:service.fault");

    public static readonly IReadOnlyList<NotificationTemplate> Templates = [Due, DueBy, DueAt, DueByOrAt, Fault];
}
