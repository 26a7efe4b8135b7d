using Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.VehicleAlarm;

/// <summary>A position as the alarm features store and show it (WGS 84 degrees, accuracy in metres).</summary>
public sealed record AlarmPosition(double Latitude, double Longitude, double? AccuracyM)
{
    /// <summary>The car's fix when it is plausible, else null (a car's bad value must not be stored as a place).</summary>
    public static AlarmPosition? From(Position? fix) =>
        fix is { } p && p.IsOnEarth() &&
        !(p.Latitude == 0 && p.Longitude == 0)
            ? new AlarmPosition(p.Latitude, p.Longitude, p.AccuracyM > 0 && double.IsFinite(p.AccuracyM) ? p.AccuracyM : null)
            : null;
}
