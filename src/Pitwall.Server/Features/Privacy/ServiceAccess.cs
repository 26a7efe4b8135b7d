using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Privacy;

public enum ServiceVerdictKind
{
    Allowed,
    /// <summary>The car is in private mode (P1): nothing but emergency data.</summary>
    PrivateMode,
    /// <summary>The service, or its group (services with / without location), is switched off in the car (P2).</summary>
    ServiceDisabled,
    /// <summary>Remote access is switched off in the car (P2): no remote control.</summary>
    RemoteAccessDisabled,
}

/// <summary>What the car's privacy switches say about one service: allowed, or why not, with the reason code the API uses
/// (as a problem's <c>code</c> or as the reason a value is missing).</summary>
public readonly record struct ServiceVerdict(ServiceVerdictKind Kind, string ServiceId)
{
    public bool Allowed => Kind == ServiceVerdictKind.Allowed;

    /// <summary><c>privacy_mode</c>, <c>service_disabled</c> or <c>remote_access_disabled</c>; null when allowed.</summary>
    public string? Code => Kind switch
    {
        ServiceVerdictKind.PrivateMode => ErrorCodes.PrivacyMode,
        ServiceVerdictKind.ServiceDisabled => ErrorCodes.ServiceDisabled,
        ServiceVerdictKind.RemoteAccessDisabled => ErrorCodes.RemoteAccessDisabled,
        _ => null,
    };

    /// <summary>A sentence for a refusal's detail.</summary>
    public string? Detail => Kind switch
    {
        ServiceVerdictKind.PrivateMode => "The car is in private mode: no online functions.",
        ServiceVerdictKind.ServiceDisabled => $"The service {ServiceId} (or its group of services {(ServiceIds.UsesLocation(ServiceId) ? "with" : "without")} location) is switched off in the car.",
        ServiceVerdictKind.RemoteAccessDisabled => "Remote access is switched off in the car.",
        _ => null,
    };
}

/// <summary>
/// The one place that reads the car's privacy switches (REQUIREMENTS P1, P2). Car-message handlers ask it before they
/// store anything — what a switched-off service receives is discarded — and endpoints ask it before they use a service,
/// refusing with the verdict's code; readers use the same verdict to say why a value is missing. Emergency services
/// pass in private mode and cannot be switched off.
/// </summary>
public interface IServiceAccess
{
    /// <summary>May what the car sent for <paramref name="serviceId"/> be stored and shown, under these switches?</summary>
    ServiceVerdict ForCarData(string serviceId, PrivacySettings privacy);

    /// <summary>May a position be kept with data the car sent for <paramref name="serviceId"/> (location services switch)?</summary>
    bool KeepsLocation(string serviceId, PrivacySettings privacy);

    /// <summary>May the car be controlled remotely (a command) for <paramref name="serviceId"/>: also needs remote access.</summary>
    ServiceVerdict ForRemoteControl(string serviceId, PrivacySettings privacy);

    /// <summary><see cref="ForCarData"/> under the car's last known switches; allowed when the car was never seen.</summary>
    Task<ServiceVerdict> ForServiceAsync(string vin, string serviceId, CancellationToken cancellationToken);

    /// <summary><see cref="ForRemoteControl"/> under the car's last known switches; allowed when the car was never seen.</summary>
    Task<ServiceVerdict> ForRemoteControlAsync(string vin, string serviceId, CancellationToken cancellationToken);

    /// <summary>May the car be asked for fresh data at all (only private mode forbids it)?</summary>
    Task<ServiceVerdict> ForDataRequestAsync(string vin, CancellationToken cancellationToken);
}

internal sealed class ServiceAccess(IVehicleLink link) : IServiceAccess
{
    /// <summary>The emergency call (P1: the one exchange private mode allows); the breakdown feature's handler stores it.</summary>
    public const string EmergencyCall = ServiceIds.EmergencyCall;

    /// <summary>
    /// Services whose data passes in private mode and that no switch turns off: the emergency call (P1) and Car Security's
    /// theft tracking and health checks — the service cannot be switched off as a whole (E1), and a stolen car must be
    /// found even when whoever took it switches private mode on.
    /// </summary>
    public static bool IsEmergency(string serviceId) => serviceId is EmergencyCall or ServiceIds.CarSecurity;

    public ServiceVerdict ForCarData(string serviceId, PrivacySettings privacy) =>
        new(IsEmergency(serviceId) ? ServiceVerdictKind.Allowed
            : privacy.PrivateMode ? ServiceVerdictKind.PrivateMode
            : ServiceIds.IsSwitchedOn(serviceId, privacy) ? ServiceVerdictKind.Allowed
            : ServiceVerdictKind.ServiceDisabled, serviceId);

    public bool KeepsLocation(string serviceId, PrivacySettings privacy) =>
        IsEmergency(serviceId) || (!privacy.PrivateMode && !privacy.LocationServicesDisabled);

    public ServiceVerdict ForRemoteControl(string serviceId, PrivacySettings privacy) =>
        privacy.PrivateMode ? new(ServiceVerdictKind.PrivateMode, serviceId)
        : privacy.RemoteAccessDisabled ? new(ServiceVerdictKind.RemoteAccessDisabled, serviceId)
        : ForCarData(serviceId, privacy);

    public async Task<ServiceVerdict> ForServiceAsync(string vin, string serviceId, CancellationToken cancellationToken) =>
        await SwitchesAsync(vin, cancellationToken) is { } privacy ? ForCarData(serviceId, privacy) : new(ServiceVerdictKind.Allowed, serviceId);

    public async Task<ServiceVerdict> ForRemoteControlAsync(string vin, string serviceId, CancellationToken cancellationToken) =>
        await SwitchesAsync(vin, cancellationToken) is { } privacy ? ForRemoteControl(serviceId, privacy) : new(ServiceVerdictKind.Allowed, serviceId);

    public async Task<ServiceVerdict> ForDataRequestAsync(string vin, CancellationToken cancellationToken) =>
        new(await SwitchesAsync(vin, cancellationToken) is { PrivateMode: true } ? ServiceVerdictKind.PrivateMode : ServiceVerdictKind.Allowed, "data_request");

    private Task<PrivacySettings?> SwitchesAsync(string vin, CancellationToken cancellationToken) => link.PrivacyAsync(vin, cancellationToken);
}
