using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Status;

/// <summary>Car Control and Car Finder (REQUIREMENTS C1, C2) with privacy enforcement (P1, P2).</summary>
public static class StatusModule
{
    public static WebApplicationBuilder AddStatus(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<StatusText>();
        builder.Services.AddProvidedServices("Status", ServiceIds.CarControl, ServiceIds.CarFinder);
        builder.Services.AddVehicleTab(new("", "Status", 10, ServiceIds.CarControl));
        builder.Services.AddOptions<StatusOptions>().BindConfiguration(StatusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<StatusStore>();
        builder.Services.AddSingleton<StatusReader>();
        builder.Services.AddSingleton<RefreshWaiters>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RefreshWaiters>());
        builder.Services.AddSingleton<StatusRefresher>();
        builder.Services.AddSingleton<StatusMessageHandler>();
        builder.Services.AddSingleton<IVehicleMessageHandler>(sp => sp.GetRequiredService<StatusMessageHandler>());
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<StatusMessageHandler>());
        builder.Services.AddDataCategory(new DataCategory(
            "vehicle_status", "Vehicle status (Car Control, Car Finder)",
            "Show the owner and drivers the car's latest state: position, heading, range, levels, mileage, locks, doors, windows, lights, warnings.",
            LegalBasis.Contract, Retention.OverwriteOnChange, true, [new("vehicle_status") { AccountRows = CategoryTable.RowsOfTheAccountsCars }],
            [Privacy.PortalProcessors.MapTiles]));
        return builder;
    }

    public static WebApplication MapStatus(this WebApplication app)
    {
        app.MapStatusEndpoints();
        return app;
    }
}
