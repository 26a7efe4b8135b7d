namespace Pitwall.Server.Features.MapUpdates;

/// <summary>
/// The car's navigation map as Pitwall documents it (F5), for the API and the owner's portal page: per region the version the car
/// reported and the newest one built, and its documented map updates (offered, then installed or failed as the car reported). The
/// caller has passed the vehicle-service gate; <c>since</c> is when the account got the car (it sees no update from before).
/// </summary>
public interface ICarMaps
{
    Task<CarMapsResponse> StateAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken);
}

/// <param name="Regions">Per region the car reported: its version, and the newest one Pitwall has (null: the region is not built).</param>
/// <param name="Deliveries">The documented updates, newest first: offered, then installed or failed as the car reported.</param>
public sealed record CarMapsResponse(IReadOnlyList<CarMapRegion> Regions, IReadOnlyList<CarMapDelivery> Deliveries);

/// <param name="Bbox">The region's extent as west, south, east, north in WGS84 degrees (GeoJSON's order); null when it is not built.</param>
public sealed record CarMapRegion(string Region, string? Name, int Version, int? LatestVersion, DateTimeOffset ReportedAt, IReadOnlyList<double>? Bbox = null);

/// <param name="FromVersion">The version the car had (0: none).</param>
/// <param name="Packages">How many packages the offer held: one increment per version, or the whole region.</param>
/// <param name="Bytes">The size of the packages the car was offered.</param>
/// <param name="Result">offered | installed | failed.</param>
/// <param name="Detail">Why it failed, as the car reported it.</param>
public sealed record CarMapDelivery(string Region, int FromVersion, int ToVersion, int Packages, long Bytes, DateTimeOffset OfferedAt, string Result,
    string? Detail, DateTimeOffset? ReportedAt);

/// <summary>The map state from the car's stored versions and deliveries and the built catalogue.</summary>
internal sealed class CarMaps(MapUpdateStore store, MapCatalogue catalogue) : ICarMaps
{
    public const int HistoryLength = 50;

    public async Task<CarMapsResponse> StateAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var latest = (await catalogue.LatestAsync(cancellationToken)).ToDictionary(r => r.Region, StringComparer.Ordinal);
        var regions = (await store.VersionsAsync(vin, cancellationToken))
            .Select(v => latest.GetValueOrDefault(v.Region) is { } release
                ? new CarMapRegion(v.Region, release.Name, v.Version, release.Version, v.ReportedAt,
                    BoundingBox.Parse(release.Bbox) is { } box ? [box.West, box.South, box.East, box.North] : null)
                : new CarMapRegion(v.Region, null, v.Version, null, v.ReportedAt))
            .ToList();
        var deliveries = (await store.DeliveriesAsync(vin, since, HistoryLength, cancellationToken))
            .Select(d => new CarMapDelivery(d.Region, d.FromVersion, d.ToVersion, d.Packages, d.Bytes, d.OfferedAt, d.Result ?? "offered", d.Detail, d.ReportedAt))
            .ToList();
        return new CarMapsResponse(regions, deliveries);
    }
}
