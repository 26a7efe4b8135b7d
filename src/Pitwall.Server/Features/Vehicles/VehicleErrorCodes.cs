namespace Pitwall.Server.Features.Vehicles;

/// <summary>The stable problem codes of vehicles, pairing, drivers and access keys (clients switch on these; never rename one).</summary>
public static class VehicleErrorCodes
{
    public const string AlreadyPaired = "already_paired";
    public const string InvalidPairingCode = "invalid_pairing_code";
    public const string PairingExpired = "pairing_expired";
    public const string AccountNotFound = "account_not_found";
    public const string AlreadyAUser = "already_a_user";
    public const string VehicleExists = "vehicle_exists";
    public const string AccessKeyInvalid = "access_key_invalid";
}
