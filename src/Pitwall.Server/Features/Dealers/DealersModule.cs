using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Dealers;

/// <summary>
/// Dealers and service appointments (REQUIREMENTS F1): the dealer directory, the owner's preferred dealer, navigation to it,
/// appointment requests from the app, the portal and the car with the dealer's answer and a calendar file, and the dealer
/// console, where a dealer reads the data a car transmitted — only for cars that chose it or booked with it, every read logged
/// for the owner. The vehicle side is the service <c>maintenance</c> (granted by Connect Care).
/// </summary>
public static class DealersModule
{
    public static WebApplicationBuilder AddDealers(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<DealersText>();
        builder.Services.AddNotificationTypes(DealerNotifications.Order, DealerNotifications.All);
        builder.Services.AddNotificationTemplates(DealerNotifications.Templates);
        builder.Services.AddSingleton<DealerStore>();
        builder.Services.AddSingleton<AppointmentStore>();
        builder.Services.AddSingleton<DealerAccessLog>();
        builder.Services.AddSingleton<DealerDirectory>();
        builder.Services.AddSingleton<DealerCarData>();
        builder.Services.AddSingleton<DealerCarReads>();
        builder.Services.AddSingleton<DealerNavigation>();
        builder.Services.AddSingleton<Appointments>();
        builder.Services.AddSingleton<CarDealerService>();
        builder.Services.AddSingleton<ICarDealers>(sp => sp.GetRequiredService<CarDealerService>());
        builder.Services.AddSingleton<IDealerConsole, DealerConsole>();
        builder.Services.AddVehicleTab(new("/dealer", "Dealer", 85, ServiceIds.Maintenance));
        builder.Services.AddScoped<CurrentDealer>();
        builder.Services.AddSingleton<IVehicleMessageHandler, CarAppointmentHandler>();
        builder.Services.AddSingleton<Gateway.Validation.ICarMessageCheck, AppointmentRequestCheck>();
        builder.Services.AddSingleton<DealerDataListeners>();
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<DealerDataListeners>());
        builder.Services.AddSingleton<Privacy.IAccountErasureListener>(sp => sp.GetRequiredService<DealerDataListeners>());
        builder.Services.AddHostedService<DemoDealers>();
        foreach (var category in DealerDataCategories.All)
        {
            builder.Services.AddDataCategory(category);
        }
        return builder;
    }

    public static WebApplication MapDealers(this WebApplication app)
    {
        app.MapDealerDirectoryEndpoints();
        app.MapVehicleDealerEndpoints();
        app.MapVehicleAppointmentEndpoints();
        app.MapDealerConsoleEndpoints();
        return app;
    }
}
