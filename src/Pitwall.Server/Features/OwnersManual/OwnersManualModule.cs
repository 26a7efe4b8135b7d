using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.OwnersManual;

/// <summary>The owner's manual (REQUIREMENTS F4): in the car, the app and the portal, with favourites, recently visited sections
/// and links from the car's warning messages; a usage profile per reader.</summary>
public static class OwnersManualModule
{
    /// <summary>A usage profile goes after a year without use (the seed); the retention job deletes it.</summary>
    public static readonly TimeSpan ProfileKeptUnused = TimeSpan.FromDays(365);

    public static WebApplicationBuilder AddOwnersManual(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<OwnersManualText>();
        builder.Services.AddProvidedServices("OwnersManual", ServiceIds.OwnersManual);
        builder.Services.AddVehicleTab(new("/manual", "Manual", 81, ServiceIds.OwnersManual));
        builder.Services.AddSingleton(_ => ManualContent.Shipped());
        builder.Services.AddSingleton<ManualStore>();
        builder.Services.AddSingleton<ManualReader>();
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<ManualStore>());
        builder.Services.AddSingleton<IVehicleMessageHandler, ManualLookupHandler>();
        builder.Services.AddSingleton<Gateway.Validation.ICarMessageCheck, ManualLookupCheck>();
        builder.Services.AddDataCategory(new DataCategory(
            "manual_profile", "Owner's manual usage profile",
            "Unlock the owner's manual for a reader (F4): the name given and the account, created on first use.",
            LegalBasis.Contract, Retention.YearsUnused(1), true,
            [new("manual_profiles", "last_used_at") { AccountRows = "account_id = @accountId" }], []));
        builder.Services.AddDataCategory(new DataCategory(
            "manual_usage", "Owner's manual favourites and visited sections",
            "Show a reader's favourites and recently visited sections, and the sections the car's display opened, so that the manual "
            + "and the car's warning messages lead back to them (F4); matched by the vehicle identification number.",
            LegalBasis.Contract, Retention.Months(12), true,
            [
                new("manual_favourites", "created_at") { AccountRows = "account_id = @accountId" },
                new("manual_visits", "visited_at") { AccountRows = "account_id = @accountId" },
                new("manual_car_visits", "visited_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("manual_car_visits", "visited_at") },
            ],
            []));
        return builder;
    }

    public static WebApplication MapOwnersManual(this WebApplication app)
    {
        app.MapManualEndpoints();
        return app;
    }
}
