namespace Pitwall.Server.Hosting;

/// <summary>
/// The platform-wide stable machine codes in problem details (<c>code</c>): the ones hosting, the vehicle-service gate and
/// the vehicle link answer with. A feature's own codes sit in its folder (<c>&lt;Feature&gt;ErrorCodes</c>, e.g.
/// <c>ContractErrorCodes</c>). Clients switch on these; never rename one.
/// </summary>
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

    // The vehicle-service gate, in its order: access, role, package, the car's privacy switches.
    public const string VehicleNotFound = "vehicle_not_found";
    public const string ForbiddenForRole = "forbidden_for_role";
    public const string NotEntitled = "not_entitled";
    public const string PrivacyMode = "privacy_mode";
    public const string RemoteAccessDisabled = "remote_access_disabled";
    public const string ServiceDisabled = "service_disabled";

    // The vehicle link's login (/vehicle/v1).
    public const string InvalidVin = "invalid_vin";
    public const string WebSocketRequired = "websocket_required";
    public const string VehicleAuthFailed = "vehicle_auth_failed";

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
