using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.Contracts;

/// <summary>The notices about a package's term (B3) and its buyer leaving the car.</summary>
internal static class ContractNotifications
{
    /// <summary>After the alarms.</summary>
    public const int Order = 50;

    public static readonly NotificationType ContractRenews = new("contract.renews", "Package renews", false, NotificationChannels.InAppAndEmail);
    public static readonly NotificationType ContractExpires = new("contract.expires", "Package ends", false, NotificationChannels.InAppAndEmail);
    public static readonly NotificationType ContractRenewalStopped = new("contract.renewal_stopped", "Package no longer renews", false, NotificationChannels.InAppAndEmail);

    public static readonly IReadOnlyList<NotificationType> All = [ContractRenews, ContractExpires, ContractRenewalStopped];

    // The sentences, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate Renews = new("notification:contract.renews");
    public static readonly NotificationTemplate Ends = new("notification:contract.expires");
    public static readonly NotificationTemplate RenewalStopped = new("notification:contract.renewal_stopped");

    public static readonly IReadOnlyList<NotificationTemplate> Templates = [Renews, Ends, RenewalStopped];
}
