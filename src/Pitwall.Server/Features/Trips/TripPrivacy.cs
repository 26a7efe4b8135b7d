using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.Trips;

/// <summary>
/// What the car's privacy switches allow for Trip Control (REQUIREMENTS P1, P2): a service without location. The same rule
/// decides what is stored on arrival and why the API shows no figures, as <see cref="Status.StatusPrivacy"/> does for signals.
/// </summary>
public static class TripPrivacy
{
    /// <returns>Null when trip statistics may be stored and shown, else the reason code they are withheld.</returns>
    public static string? Withheld(PrivacySettings privacy) =>
        privacy.PrivateMode ? "privacy_mode"
        : ServiceIds.IsSwitchedOn(ServiceIds.TripControl, privacy) ? null
        : "service_disabled";
}
