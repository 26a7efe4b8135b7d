using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Gateway.Validation;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.SmartService;

/// <summary>
/// Smart Service (REQUIREMENTS F1, part of Connect Care): the cars' service logs, the health of their components, the predicted
/// maintenance from each part's trend, faults with their description and a recommendation — in the API, the portal and the car,
/// pushed to the users when something becomes due. Other features read it through <see cref="ICarHealth"/>.
/// </summary>
public static class SmartServiceModule
{
    public static WebApplicationBuilder AddSmartService(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmartServiceOptions>().BindConfiguration(SmartServiceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddProvidedServices("SmartService", ServiceIds.Maintenance);
        builder.Services.AddPortalTexts<SmartServiceText>();
        builder.Services.AddVehicleTab(new("/service", "Smart Service", 75, ServiceIds.Maintenance));
        builder.Services.AddSingleton<ICarMessageCheck, ServiceLogCheck>();
        builder.Services.AddSingleton<ServiceLogHandler>();
        builder.Services.AddSingleton<IVehicleMessageHandler>(sp => sp.GetRequiredService<ServiceLogHandler>());
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<ServiceLogHandler>());
        builder.Services.AddSingleton<CarMarkets>();
        builder.Services.AddSingleton<FaultCatalog>();
        builder.Services.AddSingleton<IFaultCodes>(sp => sp.GetRequiredService<FaultCatalog>());
        builder.Services.AddSingleton<HealthStore>();
        builder.Services.AddSingleton<CarHealthReader>();
        builder.Services.AddSingleton<ICarHealth>(sp => sp.GetRequiredService<CarHealthReader>());
        builder.Services.AddSingleton<PredictionJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PredictionJob>());
        builder.Services.AddNotificationTypes(SmartServiceNotifications.Order, SmartServiceNotifications.All);
        builder.Services.AddNotificationTemplates(SmartServiceNotifications.Templates);
        builder.Services.AddDataCategory(SmartServiceDataCategories.Logs);
        builder.Services.AddDataCategory(SmartServiceDataCategories.Health);
        builder.Services.AddSingleton(sp => SmartServiceDataCategories.ProductObservation(sp.GetRequiredService<IOptions<SmartServiceOptions>>().Value));
        return builder;
    }

    public static WebApplication MapSmartService(this WebApplication app)
    {
        app.MapSmartServiceEndpoints();
        return app;
    }
}
