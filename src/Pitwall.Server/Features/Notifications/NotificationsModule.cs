using Pitwall.Server.Hosting.Telemetry;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications.Channels;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Notifications;

/// <summary>
/// One delivery pipeline for everything the platform tells its users: the inbox and live events in the app, push, SMS,
/// e-mail and webhooks, through a transactional outbox with retries, per-type channel choices and quiet hours.
/// </summary>
public static class NotificationsModule
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<NotificationsText>();
        builder.Services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddNotificationChannels();
        builder.Services.AddSingleton<INotificationTypes, NotificationTypeRegistry>();
        builder.Services.AddSingleton<NotificationTemplates>();
        builder.Services.AddSingleton<NotificationRenderer>();
        builder.Services.AddSingleton<NotificationStore>();
        builder.Services.AddSingleton<NotificationSettings>();
        builder.Services.AddInstruments<NotificationMetrics>();
        builder.Services.AddSingleton<NotificationSenders>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationSenders>());
        builder.Services.AddSingleton<INotifier, NotificationOutbox>();
        builder.Services.AddDataCategory(new DataCategory(
            "notifications", "Notifications and their delivery",
            "Tell a vehicle's users what happened (alarms, charging problems, contract notices) and prove delivery: the inbox text (its template and arguments), the channels it went to and each delivery's state. No address is copied: it is read from the account when sending.",
            LegalBasis.Contract, Retention.Days(90), true,
            [
                new("notifications", "created_at") { AccountRows = "account_id = @accountId" },
                new("notification_deliveries") { AccountRows = "notification_id IN (SELECT id FROM notifications WHERE account_id = @accountId)" },
            ],
            NotificationProcessors.All));
        builder.Services.AddDataCategory(new DataCategory(
            "notification_settings", "Notification settings, push devices and webhooks",
            "Send each user what they chose, where they chose: channels per type, quiet hours, push device tokens, webhook URLs and their signing secrets.",
            LegalBasis.Contract, Retention.UntilAccountDeletion, true,
            [
                new("notification_preferences") { AccountRows = "account_id = @accountId" },
                new("notification_quiet_hours") { AccountRows = "account_id = @accountId" },
                new("push_devices") { AccountRows = "account_id = @accountId", SecretColumns = ["token"] },
                new("webhook_subscriptions") { AccountRows = "account_id = @accountId", SecretColumns = ["secret"] },
            ],
            []));
        return builder;
    }

    public static WebApplication MapNotifications(this WebApplication app)
    {
        app.MapNotificationEndpoints();
        app.MapAppWebhookEndpoints();
        return app;
    }
}
