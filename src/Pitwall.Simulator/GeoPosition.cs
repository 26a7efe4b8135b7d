namespace Pitwall.Simulator;

/// <summary>A WGS 84 position in degrees, with the flat-earth helpers the simulation needs over a few kilometres.</summary>
public readonly record struct GeoPosition(double Latitude, double Longitude)
{
    private const double MetresPerDegree = 111_320;

    /// <summary>Stuttgart city centre, the default home of simulated fleets.</summary>
    public static GeoPosition Stuttgart { get; } = new(48.78, 9.18);

    public GeoPosition Offset(double northMetres, double eastMetres) =>
        new(Latitude + northMetres / MetresPerDegree,
            Longitude + eastMetres / (MetresPerDegree * Math.Cos(Latitude * Math.PI / 180)));

    public double DistanceTo(GeoPosition other)
    {
        var (north, east) = Delta(other);
        return Math.Sqrt(north * north + east * east);
    }

    /// <returns>Degrees clockwise from north, 0..360.</returns>
    public double BearingTo(GeoPosition other)
    {
        var (north, east) = Delta(other);
        var bearing = Math.Atan2(east, north) * 180 / Math.PI;
        return bearing < 0 ? bearing + 360 : bearing;
    }

    private (double North, double East) Delta(GeoPosition other) =>
        ((other.Latitude - Latitude) * MetresPerDegree,
         (other.Longitude - Longitude) * MetresPerDegree * Math.Cos(Latitude * Math.PI / 180));
}
