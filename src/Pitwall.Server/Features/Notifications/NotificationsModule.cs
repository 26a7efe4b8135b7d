using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Pitwall.Server.Features.Notifications;

/// <summary>Notification delivery to a vehicle's users; for now the in-app event stream.</summary>
public static class NotificationsModule
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<INotifier, InAppNotifier>();
        return builder;
    }
}
