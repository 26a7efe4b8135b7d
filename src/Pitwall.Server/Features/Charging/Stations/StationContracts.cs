using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pitwall.Server.Features.Charging.Ocpi;

namespace Pitwall.Server.Features.Charging.Stations;

/// <summary>A public charging station (an OCPI Location an operator published) as the app and the portal show it for a remote start.</summary>
/// <param name="Operator">The operator's name from the location, else its party (<c>DE*ABC</c>).</param>
public sealed record ChargingStationResponse(
    string LocationId, string? Name, string Address, string City, string? PostalCode, string Operator, double Latitude, double Longitude,
    IReadOnlyList<StationEvseResponse> Evses);

/// <summary>One EVSE of a station with the status its operator pushed last.</summary>
/// <param name="EvseId">The EVSE ID to start at (<c>DE*ABC*E123*1</c>); null when the operator gave none (no remote start then).</param>
/// <param name="Status">OCPI's EVSE status: AVAILABLE, CHARGING, BLOCKED, RESERVED, INOPERATIVE, OUTOFORDER, PLANNED, UNKNOWN.</param>
public sealed record StationEvseResponse(string Uid, string? EvseId, string Status, DateTimeOffset? LastUpdated, IReadOnlyList<StationConnectorResponse> Connectors)
{
    /// <summary>Whether a charge can be started here now (the operator says the EVSE is free, and it has an EVSE ID).</summary>
    public bool Startable => EvseId is not null && Status == "AVAILABLE";
}

/// <param name="Standard">OCPI ConnectorType, e.g. IEC_62196_T2, IEC_62196_T2_COMBO, CHADEMO.</param>
/// <param name="PowerType">AC_1_PHASE, AC_2_PHASE, AC_2_PHASE_SPLIT, AC_3_PHASE or DC.</param>
public sealed record StationConnectorResponse(string Id, string Standard, string PowerType, double? MaxPowerKw);

/// <summary>A map area: south-west and north-east corners in decimal degrees.</summary>
public sealed record GeoBox(double South, double West, double North, double East)
{
    /// <summary>The widest area one request may ask for, in degrees (about 110 km north to south).</summary>
    public const double MaxDegrees = 1.0;

    /// <summary>The box as <c>west,south,east,north</c> (what <see cref="Parse"/> reads).</summary>
    public string ToQuery() => string.Create(CultureInfo.InvariantCulture, $"{West:0.#####},{South:0.#####},{East:0.#####},{North:0.#####}");

    /// <summary>Parses <c>west,south,east,north</c> (the order of GeoJSON's and Leaflet's <c>toBBoxString</c>); null when malformed,
    /// outside the globe, inverted or wider than <paramref name="maxDegrees"/>.</summary>
    public static GeoBox? Parse(string? text, double maxDegrees)
    {
        var parts = text?.Split(',');
        if (parts is not { Length: 4 })
        {
            return null;
        }
        var v = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i]))
            {
                return null;
            }
        }
        var box = new GeoBox(v[1], v[0], v[3], v[2]);
        return box.South is >= -90 and <= 90 && box.North is >= -90 and <= 90 && box.West is >= -180 and <= 180 && box.East is >= -180 and <= 180
               && box.South < box.North && box.West < box.East && box.North - box.South <= maxDegrees && box.East - box.West <= maxDegrees
            ? box : null;
    }

    public (double Latitude, double Longitude) Centre => ((South + North) / 2, (West + East) / 2);

    public static GeoBox Around(double latitude, double longitude, double degrees) =>
        new(Math.Max(-90, latitude - degrees), Math.Max(-180, longitude - degrees), Math.Min(90, latitude + degrees), Math.Min(180, longitude + degrees));
}

/// <summary>The stations the portal's map shows (Web pages use the Charging Service through this interface).</summary>
public interface IChargingStations
{
    /// <summary>The published stations in the box (all operators), nearest to its centre first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ChargingStationResponse>> InBoxAsync(GeoBox box, int limit, CancellationToken cancellationToken);

    /// <summary>Where the map opens when the driver gave no area: the middle of the published stations, null when there are none.</summary>
    Task<GeoBox?> DefaultBoxAsync(CancellationToken cancellationToken);
}

/// <summary>OCPI's GeoLocation (latitude and longitude as strings of decimal degrees with 5 to 7 decimals).</summary>
internal static partial class GeoLocation
{
    public static (double Latitude, double Longitude)? Read(JsonObject coordinates)
    {
        var lat = coordinates.Text("latitude");
        var lon = coordinates.Text("longitude");
        return lat is not null && lon is not null && Latitude().IsMatch(lat) && Longitude().IsMatch(lon)
               && double.Parse(lat, CultureInfo.InvariantCulture) is >= -90 and <= 90 and var la
               && double.Parse(lon, CultureInfo.InvariantCulture) is >= -180 and <= 180 and var lo
            ? (la, lo) : null;
    }

    [GeneratedRegex(@"^-?[0-9]{1,2}\.[0-9]{5,7}$")]
    private static partial Regex Latitude();

    [GeneratedRegex(@"^-?[0-9]{1,3}\.[0-9]{5,7}$")]
    private static partial Regex Longitude();
}
