using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.ValetAlarm;

/// <summary>The valet alarm (REQUIREMENTS D3): the car watches speed and distance from where it was parked while someone else drives it.</summary>
public static class ValetAlarmModule
{
    public static WebApplicationBuilder AddValetAlarm(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<ValetAlarmText>();
        builder.Services.AddProvidedServices("ValetAlarm", ServiceIds.ValetAlarm);
        builder.Services.AddNotificationTypes(ValetNotifications.Order, ValetNotifications.All);
        builder.Services.AddNotificationTemplates(ValetNotifications.Templates);
        builder.Services.AddSingleton<ValetStore>();
        builder.Services.AddSingleton<ValetService>();
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<ValetStore>());
        builder.Services.AddSingleton<IVehicleMessageHandler, ValetEventHandler>();
        builder.Services.AddDataCategory(new DataCategory(
            "valet_alarm", "Valet alarm history",
            "Warn the car's users while someone else drives it (D3): each activation with its limits and parking position, and each limit the car reported exceeded with position and speed; each user sees what happened since they got access.",
            LegalBasis.Contract, Retention.Months(12), true,
            [
                new("valet_sessions", "requested_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("valet_sessions", "requested_at") },
                new("valet_events", "received_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("valet_events", "received_at"), PartitionedByDay = true },
            ],
            []));
        return builder;
    }

    public static WebApplication MapValetAlarm(this WebApplication app)
    {
        app.MapValetEndpoints();
        return app;
    }
}
