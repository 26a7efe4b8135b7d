namespace Pitwall.Server.Hosting;

/// <summary>The stable machine codes in problem details (<c>code</c>). Clients switch on these; never rename one.</summary>
public static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string InvalidJson = "invalid_json";
    public const string ValidationFailed = "validation_failed";
    public const string Unauthorized = "unauthorized";
    public const string InvalidToken = "invalid_token";
    public const string InsufficientScope = "insufficient_scope";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Conflict = "conflict";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string RateLimited = "rate_limited";
    public const string InternalError = "internal_error";
    public const string ServiceUnavailable = "service_unavailable";

    public const string EmailTaken = "email_taken";
    public const string InvalidVin = "invalid_vin";
    public const string PrivacyMode = "privacy_mode";
    public const string WebSocketRequired = "websocket_required";
    public const string VehicleAuthFailed = "vehicle_auth_failed";
    public const string VehicleOffline = "vehicle_offline";
    public const string VehicleNotFound = "vehicle_not_found";
    public const string ForbiddenForRole = "forbidden_for_role";
    public const string AlreadyPaired = "already_paired";
    public const string InvalidPairingCode = "invalid_pairing_code";
    public const string PairingExpired = "pairing_expired";
    public const string AccountNotFound = "account_not_found";
    public const string AlreadyAUser = "already_a_user";
    public const string VehicleExists = "vehicle_exists";
    public const string AccessKeyInvalid = "access_key_invalid";
    public const string RemoteAccessDisabled = "remote_access_disabled";
    public const string ServiceDisabled = "service_disabled";
    public const string NotEntitled = "not_entitled";
    public const string GeofenceLimit = "geofence_limit";
    public const string PinNotSet = "pin_not_set";
    public const string PinLocked = "pin_locked";
    public const string PinChallengeInvalid = "pin_challenge_invalid";
    public const string WrongPin = "wrong_pin";
    public const string WrongPassword = "wrong_password";
    public const string VehicleStolen = "vehicle_stolen";
    public const string PackageNotFound = "package_not_found";
    public const string PackageNotSold = "package_not_sold";
    public const string NotEligible = "not_eligible";
    public const string AlreadyActive = "already_active";
    public const string NotWithdrawable = "not_withdrawable";
    public const string WithdrawalPeriodOver = "withdrawal_period_over";
    public const string ContractNotActive = "contract_not_active";
    public const string DeviceLimit = "device_limit";
    public const string WebhookLimit = "webhook_limit";
    public const string ValetNotActive = "valet_not_active";
    public const string CaseClaimed = "case_claimed";
    public const string CaseNotClaimed = "case_not_claimed";
    public const string CaseClosed = "case_closed";
    public const string CaseNotHandedOver = "case_not_handed_over";
    public const string OwnerNotReached = "owner_not_reached";
    public const string PhoneOutOfOrder = "phone_out_of_order";
    public const string IdentityCheckLocked = "identity_check_locked";
    public const string IdentityNotVerified = "identity_not_verified";
    public const string NoCarSecurityDetails = "no_car_security_details";
    public const string TheftCaseOpen = "theft_case_open";
    public const string CarSecurityAlwaysOn = "car_security_always_on";
    public const string EndedByTheCar = "ended_by_the_car";
    public const string InvalidTile = "invalid_tile";
    public const string TileProviderFailed = "tile_provider_failed";
    public const string TileProviderTimeout = "tile_provider_timeout";

    /// <summary>The code a bare status code gets when nothing more specific was said.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => ServiceUnavailable,
        >= 500 => InternalError,
        _ => BadRequest,
    };
}
