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
        routes.MapGet("/api/v1/vehicles/{vin}/maps", CarMaps).WithTags("Map updates").RequireAuthorization(Scopes.ReadVehicle)
            .RequireVehicleService(ServiceIds.MapUpdate, ServiceUse.Read)
            .WithSummary("The car's navigation map: per region the version it reported and the newest one, and its documented map updates.");
        routes.MapGet("/api/v1/admin/maps", Catalogue).WithTags("Administration").RequireAuthorization(Scopes.ReadAdmin)
            .WithSummary("The map regions and versions built by pitwall admin maps-build, with their packages.");
    }

    private static async Task<Ok<CarMapsResponse>> CarMaps(CurrentVehicle car, MapUpdateStore store, MapCatalogue catalogue, CancellationToken cancellationToken)
    {
        var latest = (await catalogue.LatestAsync(cancellationToken)).ToDictionary(r => r.Region, StringComparer.Ordinal);
        var regions = (await store.VersionsAsync(car.Vin, cancellationToken))
            .Select(v => new CarMapRegion(v.Region, latest.GetValueOrDefault(v.Region)?.Name, v.Version, latest.GetValueOrDefault(v.Region)?.Version, v.ReportedAt))
            .ToList();
        var deliveries = (await store.DeliveriesAsync(car.Vin, car.Since, 50, cancellationToken))
            .Select(d => new CarMapDelivery(d.Region, d.FromVersion, d.ToVersion, d.Packages, d.Bytes, d.OfferedAt, d.Result ?? "offered", d.Detail, d.ReportedAt))
            .ToList();
        return TypedResults.Ok(new CarMapsResponse(regions, deliveries));
    }

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

/// <param name="Regions">Per region the car reported: its version, and the newest one Pitwall has (null: the region is not built).</param>
/// <param name="Deliveries">The documented updates, newest first: offered, then installed or failed as the car reported.</param>
internal sealed record CarMapsResponse(IReadOnlyList<CarMapRegion> Regions, IReadOnlyList<CarMapDelivery> Deliveries);

internal sealed record CarMapRegion(string Region, string? Name, int Version, int? LatestVersion, DateTimeOffset ReportedAt);

/// <param name="Result">offered | installed | failed.</param>
internal sealed record CarMapDelivery(string Region, int FromVersion, int ToVersion, int Packages, long Bytes, DateTimeOffset OfferedAt, string Result,
    string? Detail, DateTimeOffset? ReportedAt);

internal sealed record MapRegionResponse(string Region, string Name, string Bbox, IReadOnlyList<MapVersionResponse> Versions);

internal sealed record MapVersionResponse(int Version, string Source, DateTimeOffset BuiltAt, IReadOnlyList<MapPackageResponse> Packages);

internal sealed record MapPackageResponse(int FromVersion, int ToVersion, string Kind, long Size, string Sha256, string Path);
