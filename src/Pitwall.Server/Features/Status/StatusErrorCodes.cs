namespace Pitwall.Server.Features.Status;

/// <summary>The stable problem codes of the vehicle status and its refresh (clients switch on these; never rename one).</summary>
internal static class StatusErrorCodes
{
    public const string VehicleOffline = "vehicle_offline";
}
