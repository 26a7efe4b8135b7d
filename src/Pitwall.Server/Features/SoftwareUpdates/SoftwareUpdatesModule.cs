using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Gateway;
using Pitwall.Server.Gateway.Validation;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// Software updates over the air (REQUIREMENTS F3): Pitwall is the update server. A catalogue of software modules with
/// content-addressed artifacts on disk and distribution sets per model, model year and hardware variant; update targets and
/// the actions that bring a set to them; campaigns that roll a set out in waves and pause at an error threshold; and the Eclipse hawkBit DDI API, so existing update clients (swupdate's suricatta,
/// rauc-hawkbit-updater …) poll, download, install and report unchanged. Cars pass the vehicle-service gate's rules.
/// </summary>
public static class SoftwareUpdatesModule
{
    public static WebApplicationBuilder AddSoftwareUpdates(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SoftwareUpdateOptions>().BindConfiguration(SoftwareUpdateOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.AcceleratedDownloads.IsValid,
                "AcceleratedDownloads: Header is a header name, Prefix an absolute path of letters, digits, . _ ~ - without a trailing slash.")
            .ValidateOnStart();
        builder.Services.AddProvidedServices("SoftwareUpdates", ServiceIds.SoftwareUpdate);
        builder.Services.AddSingleton<ArtifactStore>();
        builder.Services.AddSingleton<CatalogueStore>();
        builder.Services.AddSingleton<PollTimes>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PollTimes>());
        builder.Services.AddSingleton<TargetStore>();
        builder.Services.AddSingleton<ActionStore>();
        builder.Services.AddSingleton<SoftwareAdministration>();
        builder.Services.AddSingleton<DdiDeployments>();
        builder.Services.AddSingleton<DdiAccess>();
        builder.Services.AddScoped<DdiCaller>();
        builder.Services.AddSingleton<IVehicleMessageHandler, UpdatePollHandler>();
        builder.Services.AddSingleton<IVehicleMessageHandler, UpdateFeedbackHandler>();
        builder.Services.AddSingleton<ICarMessageCheck, UpdatePollCheck>();
        builder.Services.AddSingleton<ICarMessageCheck, UpdateFeedbackCheck>();
        builder.Services.AddSingleton<CampaignStore>();
        builder.Services.AddSingleton<CampaignRunner>();
        builder.Services.AddSingleton<CampaignJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CampaignJob>());
        builder.Services.AddSingleton<PreferenceStore>();
        builder.Services.AddSingleton<ManifestStore>();
        builder.Services.AddSingleton<Signing.UpdateKeyStore>();
        builder.Services.AddSingleton<Signing.DirectorMetadata>();
        builder.Services.AddSingleton<Signing.ImageRepository>();
        builder.Services.AddSingleton<ICarSoftware, CarSoftwareService>();
        builder.Services.AddSingleton<ISoftwareConsole, SoftwareConsole>();
        builder.Services.AddPortalTexts<SoftwareUpdatesText>();
        builder.Services.AddVehicleTab(new("/software", "Software updates", 79, ServiceIds.SoftwareUpdate));
        builder.Services.AddDataCategory(SoftwareUpdateDataCategories.Catalogue);
        builder.Services.AddDataCategory(SoftwareUpdateDataCategories.State);
        builder.Services.AddDataCategory(SoftwareUpdateDataCategories.Manifests);
        return builder;
    }

    public static WebApplication MapSoftwareUpdates(this WebApplication app)
    {
        app.MapSoftwareAdminEndpoints();
        app.MapImageRepositoryEndpoints();
        app.MapCampaignEndpoints();
        app.MapCarSoftwareEndpoints();
        app.MapDdiEndpoints();
        return app;
    }
}
