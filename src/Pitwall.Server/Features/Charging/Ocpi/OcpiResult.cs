using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>The OCPI 2.2.1 status codes Pitwall answers with (in the envelope's <c>status_code</c>, beside the HTTP status).</summary>
internal static class OcpiStatus
{
    public const int Success = 1000;
    public const int ClientError = 2000;
    public const int InvalidOrMissingParameters = 2001;
    public const int NotEnoughInformation = 2002;
    public const int UnknownLocation = 2003;
    public const int UnknownToken = 2004;
    public const int ServerError = 3000;
    public const int UnableToUseClientApi = 3001;
    public const int UnsupportedVersion = 3002;
    public const int NoMatchingEndpoints = 3003;
}

/// <summary>How OCPI spells JSON: snake_case members, nulls left out, times as RFC 3339 UTC with a <c>Z</c>.</summary>
internal static class OcpiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An OCPI DateTime: RFC 3339 in UTC, with or without the <c>Z</c>, fractions of a second allowed.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(text) || text.Length > 35 || text.Length < 19 || text[10] != 'T')
        {
            return false;
        }
        var offsetFree = text.EndsWith('Z') ? text[..^1] : text;
        if (offsetFree.Contains('+', StringComparison.Ordinal) || offsetFree.LastIndexOf('-') > 9)
        {
            return false; // OCPI times are always UTC: an offset is not one
        }
        return DateTimeOffset.TryParse(offsetFree, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}

/// <summary>The OCPI response envelope: <c>data</c> (left out when there is none), <c>status_code</c>, <c>status_message</c>,
/// <c>timestamp</c>.</summary>
internal sealed record OcpiEnvelope(object? Data, int StatusCode, string? StatusMessage, string Timestamp);

/// <summary>An OCPI answer: the envelope with its HTTP status and any extra headers (pagination, <c>Location</c>).</summary>
internal sealed class OcpiResult(int httpStatus, int statusCode, object? data, string? message) : IResult
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int HttpStatus => httpStatus;

    public int StatusCode => statusCode;

    public static OcpiResult Ok(object? data, int httpStatus = StatusCodes.Status200OK) => new(httpStatus, OcpiStatus.Success, data, "Success");

    public static OcpiResult Error(int httpStatus, int statusCode, string message) => new(httpStatus, statusCode, null, message);

    /// <summary>Valid JSON with bad or missing fields: status 2001 in the envelope, no HTTP error (a request that reached the OCPI
    /// layer gets none).</summary>
    public static OcpiResult Invalid(string message) => Error(StatusCodes.Status200OK, OcpiStatus.InvalidOrMissingParameters, message);

    /// <summary>A body that is not JSON: HTTP 400, status 2001.</summary>
    public static OcpiResult Malformed(string message) => Error(StatusCodes.Status400BadRequest, OcpiStatus.InvalidOrMissingParameters, message);

    /// <summary>A request the OCPI layer refuses with a 2xxx or 3xxx status, without an HTTP error.</summary>
    public static OcpiResult Refused(int statusCode, string message) => Error(StatusCodes.Status200OK, statusCode, message);

    public static OcpiResult Unauthorized(string message) => Error(StatusCodes.Status401Unauthorized, OcpiStatus.ClientError, message);

    public static OcpiResult NotFound(int statusCode, string message) => Error(StatusCodes.Status404NotFound, statusCode, message);

    public static OcpiResult MethodNotAllowed(string message) => Error(StatusCodes.Status405MethodNotAllowed, OcpiStatus.ClientError, message);

    public OcpiResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var time = httpContext.RequestServices.GetRequiredService<TimeProvider>();
        var response = httpContext.Response;
        response.StatusCode = httpStatus;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }
        response.ContentType = "application/json; charset=utf-8";
        var envelope = new OcpiEnvelope(data, statusCode, message, OcpiJson.Time(time.GetUtcNow()));
        return JsonSerializer.SerializeAsync(response.Body, envelope, OcpiJson.Options, httpContext.RequestAborted);
    }
}
