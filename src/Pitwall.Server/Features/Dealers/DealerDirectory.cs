using System.Text.RegularExpressions;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Dealers;

internal sealed record DealerSearch(double? Latitude, double? Longitude, double? RadiusKm, string? Text, string? Service, int Limit);

/// <summary>The dealer directory's rules: searching (nearest first around a position) and adding a dealer.</summary>
internal sealed partial class DealerDirectory(DealerStore store, TimeProvider time)
{
    public const double DefaultRadiusKm = 50;

    public async Task<IReadOnlyList<(Dealer Dealer, double? DistanceM)>> SearchAsync(DealerSearch search, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var near = search is { Latitude: { } lat, Longitude: { } lon } ? (lat, lon) : ((double, double)?)null;
        if ((search.Latitude is null) != (search.Longitude is null) || near is { } p && !(p.Item1 is >= -90 and <= 90 && p.Item2 is >= -180 and <= 180))
        {
            errors.Add("latitude", "Latitude (-90–90) and longitude (-180–180) together.");
        }
        var radiusKm = search.RadiusKm ?? DefaultRadiusKm;
        if (radiusKm is not (> 0 and <= 1000))
        {
            errors.Add("radiusKm", "Between 0 and 1 000 km.");
        }
        if (search.Service is { } service && !DealerServices.All.Contains(service))
        {
            errors.Add("service", $"One of: {string.Join(", ", DealerServices.All)}.");
        }
        if (errors.Any)
        {
            return [];
        }
        var box = near is var (latitude, longitude) ? Box(latitude, longitude, radiusKm) : ((double, double, double, double)?)null;
        var found = (await store.SearchAsync(box, search.Text, cancellationToken))
            .Where(d => search.Service is null || d.Services.Contains(search.Service))
            .Select(d => (Dealer: d, DistanceM: near is var (a, b) ? d.DistanceM(a, b) : (double?)null))
            .Where(f => f.DistanceM is null || f.DistanceM <= radiusKm * 1000);
        return [.. (near is null ? found : found.OrderBy(f => f.DistanceM)).Take(Math.Clamp(search.Limit, 1, 100))];
    }

    public async Task<(Dealer? Dealer, Refusal? Refusal)> AddAsync(DealerCreateRequest r, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Required(r.Id, "id", 64, errors);
        if (r.Id is { } id && !Slug().IsMatch(id))
        {
            errors.Add("id", "Lower-case letters, digits and hyphens.");
        }
        Required(r.Name, "name", 200, errors);
        Required(r.Street, "street", 200, errors);
        Required(r.PostalCode, "postalCode", 20, errors);
        Required(r.City, "city", 100, errors);
        if (r.Country is not { Length: 2 })
        {
            errors.Add("country", "An ISO 3166-1 alpha-2 code, e.g. DE.");
        }
        if (r.Latitude is not (>= -90 and <= 90) || r.Longitude is not (>= -180 and <= 180))
        {
            errors.Add("position", "Latitude (-90–90) and longitude (-180–180).");
        }
        var zone = r.TimeZone ?? "Europe/Berlin";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add("timeZone", "An IANA time zone, e.g. Europe/Berlin.");
        }
        var hours = r.OpeningHours ?? [];
        if (hours.Count == 0 || hours.Any(h => h.Days.Length == 0 || h.Days.Any(d => d is < 1 or > 7) || !OpeningHours.IsTime(h.Opens) ||
                                                !OpeningHours.IsTime(h.Closes) || string.CompareOrdinal(h.Opens, h.Closes) >= 0))
        {
            errors.Add("openingHours", "At least one entry of ISO weekdays (1–7) with \"HH:mm\" opening before closing.");
        }
        var services = r.Services ?? [DealerServices.Maintenance];
        if (services.Count == 0 || services.Any(s => !DealerServices.All.Contains(s)))
        {
            errors.Add("services", $"Some of: {string.Join(", ", DealerServices.All)}.");
        }
        if (errors.Any)
        {
            return (null, Refusal.Invalid(errors));
        }
        var dealer = new Dealer(r.Id!, r.Name!.Trim(), r.Street!.Trim(), r.PostalCode!.Trim(), r.City!.Trim(), r.Country!.ToUpperInvariant(),
            r.Latitude!.Value, r.Longitude!.Value, r.Phone, r.Email, zone, [.. hours.Select(h => new OpeningHours(h.Days, h.Opens, h.Closes))], [.. services.Distinct()]);
        return await store.TryInsertAsync(dealer, time.GetUtcNow(), cancellationToken)
            ? (dealer, null)
            : (null, Refusal.Invalid("id", "A dealer with this id exists."));
    }

    /// <summary>A box around a point that holds the circle of <paramref name="radiusKm"/> (the database narrows, the distance decides).</summary>
    private static (double South, double West, double North, double East) Box(double latitude, double longitude, double radiusKm)
    {
        var dLat = radiusKm / 111.0;
        var dLon = radiusKm / (111.0 * Math.Max(0.01, Math.Cos(latitude * Math.PI / 180)));
        return (latitude - dLat, longitude - dLon, latitude + dLat, longitude + dLon);
    }

    private static void Required(string? value, string field, int max, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max)
        {
            errors.Add(field, $"Required, at most {max} characters.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex Slug();
}
