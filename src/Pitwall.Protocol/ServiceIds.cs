namespace Pitwall.Protocol;

/// <summary>
/// Service ids: the names in <c>PrivacySettings.disabled_services</c> (REQUIREMENTS P2), in refusals and in the usage
/// statistics. Which group switch governs a service follows from whether it uses the car's location.
/// </summary>
public static class ServiceIds
{
    public const string CarControl = "car_control";
    public const string CarFinder = "car_finder";
    public const string EControl = "e_control";
    public const string Climate = "climate";
    public const string RemoteLock = "remote_lock";
    public const string RemoteHornAndLights = "remote_horn_lights";
    public const string TripControl = "trip_control";
    public const string VehicleAlarm = "vehicle_alarm";
    public const string LocationAlarm = "location_alarm";
    public const string ValetAlarm = "valet_alarm";
    /// <summary>Theft tracking and the security operation centre (E1–E5). Not governed by the privacy switches: the service
    /// as a whole cannot be switched off (E1), only single trigger reasons, for a time.</summary>
    public const string CarSecurity = "car_security";
    /// <summary>Smart Service (F1): service logs, component health, predicted maintenance. In the group "services without location". Also dealers and service appointments.</summary>
    public const string Maintenance = "maintenance";
    /// <summary>The owner's manual (F4): in the car, the app and the portal; comes with Connect Care.</summary>
    public const string OwnersManual = "owners_manual";
    /// <summary>Online software update (F3): the car polls for updates, downloads and installs them and reports its software back;
    /// comes with Connect Care. In the group "services without location".</summary>
    public const string SoftwareUpdate = "software_update";
    /// <summary>Online map update (F5, H3): at every start the car asks whether newer map data of its region exists and fetches the
    /// increments anonymously from the map distribution; comes with Connect Care. In the group "services without location" (the car
    /// names a region, never a position).</summary>
    public const string MapUpdate = "map_update";
    /// <summary>The breakdown call (F2): the car's snapshot to the assistance centre, live diagnosis, help sent. Comes with Connect
    /// Care; in the group "services with location" (the position is what help needs).</summary>
    public const string BreakdownCall = "breakdown_call";

    /// <summary>The emergency call (P1): passes private mode and every switch; no package needed.</summary>
    public const string EmergencyCall = "emergency_call";
    /// <summary>The Charging Service (G1–G3): charging cards and the app at public stations of other operators (OCPI). In the group
    /// "services without location"; it concerns the account's charging contract rather than the car, so the car's switches do not
    /// stop it.</summary>
    public const string Charging = "charging";

    public static string Of(SignalService service) => service switch
    {
        SignalService.CarFinder => CarFinder,
        SignalService.EControl => EControl,
        SignalService.Climate => Climate,
        _ => CarControl,
    };

    /// <summary>True for the group "services with location"; everything else is in "services without location". The
    /// vehicle alarm is not in it: an alarm is kept without its position when location services are off.</summary>
    public static bool UsesLocation(string serviceId) => serviceId is CarFinder or LocationAlarm or ValetAlarm or BreakdownCall;

    /// <summary>Whether the car's switches let <paramref name="serviceId"/> run (private mode aside).</summary>
    public static bool IsSwitchedOn(string serviceId, V1.PrivacySettings privacy) =>
        !(UsesLocation(serviceId) ? privacy.LocationServicesDisabled : privacy.NonLocationServicesDisabled) &&
        !privacy.DisabledServices.Contains(serviceId);
}
