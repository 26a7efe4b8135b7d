using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.LocationAlarm;

/// <summary>
/// Location alarm (REQUIREMENTS D2): up to four circular areas per car, sent to the car and confirmed by it; the car
/// reports entering and leaving with position and time; the users are notified and the history is kept 12 months.
/// </summary>
public static class LocationAlarmModule
{
    public static WebApplicationBuilder AddLocationAlarm(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<LocationAlarmText>();
        builder.Services.AddProvidedServices("LocationAlarm", ServiceIds.LocationAlarm);
        builder.Services.AddNotificationTypes(GeofenceNotifications.Order, GeofenceNotifications.All);
        builder.Services.AddNotificationTemplates(GeofenceNotifications.Templates);
        builder.Services.AddVehicleTab(new("/geofences", "Location alarm", 40, ServiceIds.LocationAlarm));
        builder.Services.AddSingleton<GeofenceStore>();
        builder.Services.AddSingleton<GeofenceService>();
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<GeofenceService>());
        builder.Services.AddSingleton<GeofenceEventHandler>();
        builder.Services.AddSingleton<IVehicleMessageHandler>(sp => sp.GetRequiredService<GeofenceEventHandler>());
        builder.Services.AddDataCategory(Areas);
        builder.Services.AddDataCategory(History);
        return builder;
    }

    public static WebApplication MapLocationAlarm(this WebApplication app)
    {
        app.MapLocationAlarmEndpoints();
        return app;
    }

    internal static DataCategory Areas { get; } = new(
        Id: "geofences",
        Name: "Location alarm areas",
        Purpose: "Watch the areas the owner drew for the location alarm (D2): name, centre, radius, which crossings notify, active hours; " +
                 "sent to the car, which reports entering and leaving.",
        LegalBasis: LegalBasis.Contract,
        Retention: new(RetentionKind.UntilAccountDeletion, null, "until the owner deletes the area or the car changes hands (unpairing, account deletion)"),
        PersonalData: true,
        Tables: [new("geofences") { AccountRows = CategoryTable.RowsOfTheAccountsCars }],
        Processors: [Privacy.PortalProcessors.MapTiles]);

    internal static DataCategory History { get; } = new(
        Id: "geofence_events",
        Name: "Location alarm history",
        Purpose: "Show the owner and drivers when the car entered or left an area (D2), with the position and time the car reported.",
        LegalBasis: LegalBasis.Contract,
        Retention: Retention.Months(12),
        PersonalData: true,
        Tables:
        [
            // A user's export holds the crossings from the time they have had the car (the API shows the same).
            new("geofence_events", "recorded_at")
            {
                AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("geofence_events", "recorded_at"),
            },
        ],
        Processors: []);
}
