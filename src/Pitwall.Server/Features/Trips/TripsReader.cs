using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Trips;

/// <summary>Turns the stored statistics and the car's privacy switches into the API's answer (shared by the API and the portal).</summary>
public sealed class TripsReader(TripStore store, IVehicleLink link, Privacy.IServiceAccess access)
{
    public async Task<TripsResponse> ReadAsync(string vin, CancellationToken cancellationToken)
    {
        var info = await link.InfoAsync(vin, cancellationToken);
        // Figures stored before the car went private (or switched Trip Control off) are kept but not shown, as status values are.
        var withheld = info is null ? null : access.ForCarData(Protocol.ServiceIds.TripControl, info.Privacy).Code;
        var stored = withheld is null ? await store.FindAsync(vin, cancellationToken) : new Dictionary<TripTerm, StoredTrip>();
        return new TripsResponse(vin, info?.Online == true, info?.Privacy.PrivateMode ?? false, info?.LastSeenAt,
            Describe(stored, TripTerm.ShortTerm, withheld), Describe(stored, TripTerm.LongTerm, withheld));
    }

    private static TripFiguresResponse Describe(IReadOnlyDictionary<TripTerm, StoredTrip> stored, TripTerm term, string? withheld) =>
        withheld is not null ? TripFiguresResponse.Missing(withheld)
        : stored.TryGetValue(term, out var figures) ? TripFiguresResponse.From(figures)
        : TripFiguresResponse.Missing("not_reported");
}
