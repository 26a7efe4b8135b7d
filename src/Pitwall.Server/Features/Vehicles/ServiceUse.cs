namespace Pitwall.Server.Features.Vehicles;

/// <summary>Which of the car's privacy switches (P1, P2) can refuse a use of a service.</summary>
public enum CarSwitches
{
    /// <summary>None: reading what the platform stored; the answer itself says why values are missing.</summary>
    None,
    /// <summary>Private mode and the service's switches (the service, or its group with / without location).</summary>
    Service,
    /// <summary>As <see cref="Service"/>, and remote access: a remote command.</summary>
    RemoteControl,
    /// <summary>Only private mode: asking the car for fresh data.</summary>
    DataRequest,
}

/// <summary>The kind of use of a vehicle service: who among the car's users may (any user, or the primary user only) and
/// which of the car's switches can refuse it. A feature names it where it declares the service on a route.</summary>
public sealed record ServiceUse(string Name, bool PrimaryUserOnly, CarSwitches Switches)
{
    /// <summary>Reading what the platform stored: any user; the switches refuse nothing.</summary>
    public static readonly ServiceUse Read = new("read", false, CarSwitches.None);

    /// <summary>Changing the service in the car: any user; refused when the car's switches stop the service.</summary>
    public static readonly ServiceUse Change = new("change", false, CarSwitches.Service);

    /// <summary>As <see cref="Change"/>, for the vehicle's primary user only.</summary>
    public static readonly ServiceUse PrimaryOnly = new("primary_only", true, CarSwitches.Service);

    /// <summary>The primary user's choice about what the platform keeps of the service (a consent): the car's switches refuse
    /// nothing, so that a consent can always be withdrawn.</summary>
    public static readonly ServiceUse PrimaryChoice = new("primary_choice", true, CarSwitches.None);

    /// <summary>Asking the car for fresh data: any user; only private mode refuses it.</summary>
    public static readonly ServiceUse DataRequest = new("data_request", false, CarSwitches.DataRequest);

    /// <summary>A remote command: remote access and the service's switches must allow it.</summary>
    public static ServiceUse RemoteControl(bool primaryUserOnly) =>
        primaryUserOnly ? PrimaryRemoteControl : AnyUserRemoteControl;

    private static readonly ServiceUse AnyUserRemoteControl = new("remote_control", false, CarSwitches.RemoteControl);
    private static readonly ServiceUse PrimaryRemoteControl = new("primary_only_remote_control", true, CarSwitches.RemoteControl);
}
