using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The notifications of service appointments (F1): to the car's users, and to the dealer's staff.</summary>
internal static class DealerNotifications
{
    /// <summary>After Car Security.</summary>
    public const int Order = 85;

    private static readonly IReadOnlyList<string> InAppPushAndEmail = [NotificationChannels.InApp, NotificationChannels.Push, NotificationChannels.Email];

    public static readonly NotificationType Requested = new("appointment.requested", "Service appointment requested", false, NotificationChannels.InAppAndEmail);
    public static readonly NotificationType Confirmed = new("appointment.confirmed", "Service appointment confirmed", false, InAppPushAndEmail);
    public static readonly NotificationType Proposed = new("appointment.proposed", "Service appointment: another time proposed", false, InAppPushAndEmail);
    public static readonly NotificationType Declined = new("appointment.declined", "Service appointment declined", false, InAppPushAndEmail);
    public static readonly NotificationType Cancelled = new("appointment.cancelled", "Service appointment cancelled", false, NotificationChannels.InAppAndEmail);
    public static readonly NotificationType Completed = new("appointment.completed", "Service appointment completed", false, NotificationChannels.InAppAndPush);

    public static readonly IReadOnlyList<NotificationType> All = [Requested, Confirmed, Proposed, Declined, Cancelled, Completed];

    /// <summary>The notification a move sends.</summary>
    public static NotificationType Of(AppointmentMove move) => move switch
    {
        AppointmentMove.Confirm or AppointmentMove.Accept => Confirmed,
        AppointmentMove.Propose => Proposed,
        AppointmentMove.Decline => Declined,
        AppointmentMove.Cancel => Cancelled,
        _ => Completed,
    };

    // The sentences, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate RequestedText = new("notification:appointment.requested");
    public static readonly NotificationTemplate ConfirmedText = new("notification:appointment.confirmed");
    public static readonly NotificationTemplate ProposedText = new("notification:appointment.proposed");
    public static readonly NotificationTemplate DeclinedText = new("notification:appointment.declined");
    public static readonly NotificationTemplate CompletedText = new("notification:appointment.completed");
    public static readonly NotificationTemplate AcceptedText = new("notification:appointment.accepted");
    public static readonly NotificationTemplate CancelledText = new("notification:appointment.cancelled");
    public static readonly NotificationTemplate NewRequestText = new("notification:appointment.new_request");

    public static readonly IReadOnlyList<NotificationTemplate> Templates =
        [RequestedText, ConfirmedText, ProposedText, DeclinedText, CompletedText, AcceptedText, CancelledText, NewRequestText];
}
