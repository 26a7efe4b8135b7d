using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.VehicleAlarm;

/// <summary>The vehicle alarm (REQUIREMENTS D1): the car's anti-theft alarms, pushed to its users and kept as history.</summary>
public static class VehicleAlarmModule
{
    public static WebApplicationBuilder AddVehicleAlarm(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<VehicleAlarmText>();
        builder.Services.AddProvidedServices("VehicleAlarm", ServiceIds.VehicleAlarm);
        builder.Services.AddNotificationTypes(AlarmNotifications.Order, AlarmNotifications.All);
        builder.Services.AddNotificationTemplates(AlarmNotifications.Templates);
        builder.Services.AddVehicleTab(new("/alarms", "Alarms", 50, ServiceIds.VehicleAlarm));
        builder.Services.AddSingleton<VehicleAlarmStore>();
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<VehicleAlarmStore>());
        builder.Services.AddSingleton<IVehicleMessageHandler, AlarmEventHandler>();
        builder.Services.AddDataCategory(new DataCategory(
            "vehicle_alarms", "Vehicle alarm history",
            "Show the car's users when and why its anti-theft alarm went off, and where the car was (position only when location services were on); each user sees the alarms since they got access.",
            LegalBasis.Contract, Retention.Months(12), true,
            [new("vehicle_alarms", "received_at")
            {
                AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("vehicle_alarms", "received_at"),
                PartitionedByDay = true,
            }], []));
        return builder;
    }

    public static WebApplication MapVehicleAlarm(this WebApplication app)
    {
        app.MapVehicleAlarmEndpoints();
        return app;
    }
}
