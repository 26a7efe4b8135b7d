using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.Status;

/// <summary>
/// What the car's privacy switches allow for each signal (REQUIREMENTS P1, P2). The same rule decides what is
/// stored on arrival and why a value is missing in the API.
/// </summary>
public static class StatusPrivacy
{
    /// <returns>Null when the value may be stored and shown, else the reason code it is withheld.</returns>
    public static string? Withheld(Signal signal, PrivacySettings privacy) =>
        privacy.PrivateMode ? "privacy_mode"
        : ServiceIds.IsSwitchedOn(ServiceIds.Of(signal.Service), privacy) ? null
        : "service_disabled";
}
