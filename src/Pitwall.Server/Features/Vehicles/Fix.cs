using Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>A plausible position the car reported with an event (alarm, valet, theft tracking), with its accuracy when known
/// (WGS 84 degrees, metres).</summary>
public sealed record Fix(double Latitude, double Longitude, double? AccuracyM)
{
    /// <summary>The car's fix when it is plausible, else null (a car's bad value must not be stored as a place).</summary>
    public static Fix? From(Position? fix) =>
        fix is { } p && p.IsOnEarth() &&
        !(p.Latitude == 0 && p.Longitude == 0)
            ? new Fix(p.Latitude, p.Longitude, p.AccuracyM > 0 && double.IsFinite(p.AccuracyM) ? p.AccuracyM : null)
            : null;

    /// <summary>A stored position: null when a coordinate is missing (the car's location services were off).</summary>
    public static Fix? Of(double? latitude, double? longitude, double? accuracyM) =>
        latitude is { } lat && longitude is { } lon ? new Fix(lat, lon, accuracyM) : null;
}
