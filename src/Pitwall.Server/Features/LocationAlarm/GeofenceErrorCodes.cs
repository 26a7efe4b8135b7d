namespace Pitwall.Server.Features.LocationAlarm;

/// <summary>The stable problem codes of the location alarm (clients switch on these; never rename one).</summary>
internal static class GeofenceErrorCodes
{
    public const string GeofenceLimit = "geofence_limit";
}
