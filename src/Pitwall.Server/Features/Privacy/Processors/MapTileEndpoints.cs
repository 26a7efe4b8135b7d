using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pitwall.Server.Features.MapUpdates.Tiles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Privacy.Processors;

/// <summary><c>GET /tiles/{z}/{x}/{y}.png</c>: the portal's map tiles for signed-in portal users — Pitwall's own, drawn from the map
/// regions it built (<see cref="IOwnMapTiles"/>, no internet needed), else through <see cref="MapTileProxy"/> from the external provider
/// when one is configured (<c>Pitwall:Portal:TileUrl</c>).</summary>
internal static class MapTileEndpoints
{
    public static IEndpointRouteBuilder MapMapTiles(this IEndpointRouteBuilder routes)
    {
        // A portal route, not an API one: the portal's cookie, and problem details (not the sign-in page) when it is missing.
        var tiles = routes.MapGroup("/tiles").AddEndpointFilter(RequirePortalSessionAsync).ExcludeFromDescription();
        tiles.MapGet("/{z}/{x}/{y}.png", GetTileAsync);
        return routes;
    }

    private static async ValueTask<object?> RequirePortalSessionAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var session = await http.AuthenticateAsync(PortalAuth.Scheme);
        if (!session.Succeeded)
        {
            return ApiProblems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "Map tiles are for signed-in portal users.");
        }
        http.User = session.Principal;
        return await next(context);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTileAsync(
        string z, string x, string y, HttpResponse response, MapTileProxy proxy, IOwnMapTiles own, IOptions<MapTileOptions> options,
        IOptions<PortalOptions> portal, CancellationToken cancellationToken)
    {
        if (TileKey.Parse(z, x, y, options.Value.TileMaxZoom) is not { } key)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, MapTileErrorCodes.InvalidTile, "No such map tile.",
                $"z must be 0 to {options.Value.TileMaxZoom}, and x and y 0 to 2^z - 1.");
        }
        if (await own.TileAsync(key.Z, key.X, key.Y, cancellationToken) is { } drawn)
        {
            response.Headers.CacheControl = "private, max-age=3600";
            return TypedResults.File(drawn, "image/png");
        }
        if (string.IsNullOrEmpty(portal.Value.TileUrl))
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No map data here: no built map region covers this tile, and no tile provider is configured.");
        }
        switch (await proxy.GetAsync(key, cancellationToken))
        {
            case TileAnswer.Tile tile:
                // The browser may keep it as long as the server does; only this user's browser (the route needs a session).
                response.Headers.CacheControl = $"private, max-age={((long)tile.FreshFor.TotalSeconds).ToString(CultureInfo.InvariantCulture)}";
                return TypedResults.File(tile.Content, tile.ContentType);
            case TileAnswer.NotFound:
                return ApiProblems.Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The map tile provider has no such tile.");
            case TileAnswer.TimedOut:
                return ApiProblems.Create(StatusCodes.Status504GatewayTimeout, MapTileErrorCodes.TileProviderTimeout, "The map tile provider did not answer in time.");
            case TileAnswer.ProviderFailed failed:
                return ApiProblems.Create(StatusCodes.Status502BadGateway, MapTileErrorCodes.TileProviderFailed, "The map tile provider failed.",
                    $"The provider {failed.Reason}.");
            default:
                throw new InvalidOperationException("unknown tile answer");
        }
    }
}

internal static class MapTileProxyRegistration
{
    /// <summary>The tile proxy, its options (<c>Pitwall:Portal</c>, checked at start-up with the tile URL) and its HTTP client,
    /// which goes through the processor gateway's handler with the configured User-Agent.</summary>
    public static WebApplicationBuilder AddMapTileProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MapTileOptions>().BindConfiguration(MapTileOptions.Section)
            .Validate(o => o.TileCacheBytes >= 0 && o.TileMaxBytes >= 1 && o.TileConcurrentFetches >= 1 && o.TileMaxZoom is >= 0 and <= 30 &&
                           o.TileTimeout > TimeSpan.Zero && o.TileCacheDefaultAge >= TimeSpan.Zero && o.TileCacheMaxAge >= TimeSpan.Zero,
                "Pitwall:Portal: the tile cache and size limits must not be negative, TileConcurrentFetches and TileTimeout must be positive, TileMaxZoom 0 to 30.")
            .ValidateOnStart();
        builder.Services.AddOptions<PortalOptions>()
            .Validate(o => string.IsNullOrEmpty(o.TileUrl) || MapTileProxy.IsUsableTemplate(o.TileUrl),
                "Pitwall:Portal:TileUrl must be empty (Pitwall's own tiles only) or an absolute http(s) URL template with {z}, {x} and {y}: the server fetches the tiles.")
            .ValidateOnStart();
        builder.Services.AddHttpClient(MapTileProxy.HttpClientName, (sp, client) =>
            {
                // The proxy's own deadline ends a fetch; this only backs it up.
                client.Timeout = sp.GetRequiredService<IOptions<MapTileOptions>>().Value.TileTimeout + TimeSpan.FromSeconds(5);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 3,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = System.Net.DecompressionMethods.All,
            })
            .AddProcessorGateway(sp => sp.GetRequiredService<IOptions<MapTileOptions>>().Value.TileUserAgent is { Length: > 0 } agent
                ? agent
                : $"{ProcessorHttp.UserAgent} (map tile proxy)")
            .RemoveAllLoggers();
        builder.Services.AddSingleton<MapTileProxy>();
        return builder;
    }
}
