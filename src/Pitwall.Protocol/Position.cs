namespace Pitwall.Protocol.V1;

public sealed partial class Position
{
    /// <summary>Whether the fix names a place at all (finite, latitude within ±90°, longitude within ±180°): a faulty car's
    /// values must not be stored or compared as a position.</summary>
    public bool IsOnEarth() =>
        double.IsFinite(Latitude) && double.IsFinite(Longitude) && Latitude is >= -90 and <= 90 && Longitude is >= -180 and <= 180;
}
