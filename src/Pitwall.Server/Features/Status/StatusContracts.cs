namespace Pitwall.Server.Features.Status;

/// <param name="Unavailable">Why there is no value: privacy_mode, service_disabled, not_supported, offline, not_reported,
/// out_of_range (the car reported an implausible value) or not_available (the car could not read it).</param>
public sealed record SignalResponse(object? Value, string Unit, DateTimeOffset? RecordedAt, string? Unavailable);

public sealed record StatusResponse(string Vin, bool Online, bool PrivateMode, DateTimeOffset? LastSeenAt, IReadOnlyDictionary<string, SignalResponse> Signals);

public sealed record LocationResponse(
    double? Latitude, double? Longitude, double? Heading, double? HorizontalAccuracy, DateTimeOffset? RecordedAt, string? Unavailable);
