using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.MapUpdates.Tiles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Gateway.Validation;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>
/// Online map update (REQUIREMENTS F5, H3): map data per region with versions and incremental packages, built from OpenStreetMap
/// extracts by <c>pitwall admin maps-build</c>; the car asks at every start, gets the increments of its own region and fetches them
/// from the map distribution with anonymous blind-signed tokens; Pitwall documents each update per car and draws the portal's map
/// tiles from the same data.
/// </summary>
public static class MapUpdatesModule
{
    public static WebApplicationBuilder AddMapUpdates(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddProvidedServices("MapUpdates", ServiceIds.MapUpdate);
        builder.Services.AddSingleton<MapCatalogue>();
        builder.Services.AddSingleton<MapUpdateStore>();
        builder.Services.AddSingleton<ICarMaps, CarMaps>();
        builder.Services.AddSingleton<MapTokenIssuer>();
        builder.Services.AddSingleton<DistributionLog>();
        builder.Services.AddSingleton<MapBuilder>();
        builder.Services.AddSingleton<IOwnMapTiles, OwnMapTiles>();
        builder.Services.AddSingleton<IVehicleMessageHandler, MapPollHandler>();
        builder.Services.AddSingleton<IVehicleMessageHandler, MapUpdateResultHandler>();
        builder.Services.AddSingleton<ICarMessageCheck, MapPollCheck>();
        builder.Services.AddSingleton<ICarMessageCheck, MapUpdateResultCheck>();
        builder.Services.AddPortalTexts<MapUpdatesText>();
        builder.Services.AddVehicleTab(new("/maps", "Map updates", 80, ServiceIds.MapUpdate));
        builder.Services.AddDataCategory(MapDataCategories.Catalogue);
        builder.Services.AddDataCategory(MapDataCategories.CarVersions);
        builder.Services.AddDataCategory(MapDataCategories.Deliveries);
        builder.Services.AddDataCategory(MapDataCategories.SpentTokens);
        return builder;
    }

    public static WebApplication MapMapUpdates(this WebApplication app)
    {
        app.MapMapEndpoints();
        app.MapMapDistribution();
        app.MapMapIssuerDirectory();
        return app;
    }
}
