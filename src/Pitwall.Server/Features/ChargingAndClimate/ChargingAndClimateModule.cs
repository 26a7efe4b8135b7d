using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.ChargingAndClimate;

/// <summary>
/// E-Control and climate (REQUIREMENTS C6, C7): the last known charging and climate state (stored with the car's status,
/// overwritten on change), the timers the car confirmed, and pushes when the driver must act. Starting, stopping and
/// setting are remote commands.
/// </summary>
public static class ChargingAndClimateModule
{
    public static WebApplicationBuilder AddChargingAndClimate(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<ChargingAndClimateText>();
        builder.Services.AddProvidedServices("ChargingAndClimate", ServiceIds.EControl, ServiceIds.Climate);
        builder.Services.AddNotificationTypes(ChargingNotifications.Order, ChargingNotifications.All);
        builder.Services.AddNotificationTemplates(ChargingNotifications.Templates);
        builder.Services.AddVehicleTab(new("/charging", "Charging and climate", 20, ServiceIds.EControl));
        builder.Services.AddSingleton<VehicleTimerStore>();
        builder.Services.AddSingleton<ICommandOutcomeListener>(sp => sp.GetRequiredService<VehicleTimerStore>());
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<VehicleTimerStore>());
        builder.Services.AddSingleton<ChargingAndClimateReader>();
        builder.Services.AddSingleton<IStatusObserver, DriverAlerts>();
        builder.Services.AddDataCategory(new DataCategory(
            "vehicle_timers", "Charge and climate timers",
            "Show and keep the charge and climate timers the owner set and the car confirmed: time, one-off date or weekdays, target state of charge.",
            LegalBasis.Contract, Retention.OverwriteOnChange, true, [new("vehicle_timers") { AccountRows = CategoryTable.RowsOfTheAccountsCars }], []));
        return builder;
    }

    public static WebApplication MapChargingAndClimate(this WebApplication app)
    {
        app.MapChargingAndClimateEndpoints();
        return app;
    }
}
