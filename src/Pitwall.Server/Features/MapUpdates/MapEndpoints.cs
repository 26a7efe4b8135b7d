using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>The car's map data as Pitwall documents it (F5), for its users through the vehicle-service gate; the built map data for
/// administrators.</summary>
internal static class MapEndpoints
{
    public static void MapMapEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/vehicles/{vin}/maps", CarMapsAsync).WithTags("Map updates").RequireAuthorization(Scopes.ReadVehicle)
            .RequireVehicleService(ServiceIds.MapUpdate, ServiceUse.Read)
            .WithSummary("The car's navigation map: per region the version it reported, the newest one and the region's extent, and its documented map updates.");
        routes.MapGet("/api/v1/admin/maps", Catalogue).WithTags("Administration").RequireAuthorization(Scopes.ReadAdmin)
            .WithSummary("The map regions and versions built by pitwall admin maps-build, with their packages.");
    }

    private static async Task<Ok<CarMapsResponse>> CarMapsAsync(CurrentVehicle car, ICarMaps maps, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maps.StateAsync(car.Vin, car.Since, cancellationToken));

    private static async Task<Ok<IReadOnlyList<MapRegionResponse>>> Catalogue(MapCatalogue catalogue, CancellationToken cancellationToken)
    {
        var list = new List<MapRegionResponse>();
        foreach (var region in (await catalogue.ReleasesAsync(cancellationToken)).GroupBy(r => r.Region))
        {
            var packages = await catalogue.PackagesAsync(region.Key, cancellationToken);
            list.Add(new MapRegionResponse(region.Key, region.Last().Name, region.Last().Bbox,
                [.. region.Select(r => new MapVersionResponse(r.Version, r.Source, r.BuiltAt,
                    [.. packages.Where(p => p.ToVersion == r.Version).Select(p => new MapPackageResponse(p.FromVersion, p.ToVersion, p.Kind, p.Size, p.Sha256, p.Path))]))]));
        }
        return TypedResults.Ok<IReadOnlyList<MapRegionResponse>>(list);
    }
}

internal sealed record MapRegionResponse(string Region, string Name, string Bbox, IReadOnlyList<MapVersionResponse> Versions);

internal sealed record MapVersionResponse(int Version, string Source, DateTimeOffset BuiltAt, IReadOnlyList<MapPackageResponse> Packages);

internal sealed record MapPackageResponse(int FromVersion, int ToVersion, string Kind, long Size, string Sha256, string Path);
