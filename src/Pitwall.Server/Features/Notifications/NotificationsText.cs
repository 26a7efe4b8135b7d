namespace Pitwall.Server.Features.Notifications;

/// <summary>The portal's texts of notifications (inbox, channels, quiet hours, devices, webhooks): NotificationsText.de.resx
/// and .fr.resx beside this class, keyed by the English text.</summary>
internal sealed class NotificationsText;
