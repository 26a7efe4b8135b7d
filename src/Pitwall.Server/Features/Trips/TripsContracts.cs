namespace Pitwall.Server.Features.Trips;

/// <summary>Trip Control (C3): the car's latest statistics, each term with its figures or why there are none.</summary>
/// <param name="ShortTerm">The drive that ended at the last engine stop.</param>
/// <param name="LongTerm">Everything since the driver last reset the long-term memory.</param>
public sealed record TripsResponse(string Vin, bool Online, bool PrivateMode, DateTimeOffset? LastSeenAt, TripFiguresResponse ShortTerm, TripFiguresResponse LongTerm);

/// <summary>One term's figures in SI units (consumption per 100 km), with rounded ones for display; all null when unavailable.</summary>
/// <param name="StartedAt">When the drive started; for the long term, when the memory was last reset.</param>
/// <param name="DurationSeconds">Time driven (engine on), s.</param>
/// <param name="DistanceMetres">Distance driven, m.</param>
/// <param name="AverageSpeedMetresPerSecond">Distance over time driven, m/s.</param>
/// <param name="AverageFuelConsumptionLitresPer100Km">l/100 km; null for a car without fuel or before any distance.</param>
/// <param name="AverageElectricConsumptionKwhPer100Km">kWh/100 km; null for a car without a traction battery or before any distance.</param>
/// <param name="Duration">The duration as hh:mm (hours may exceed 99).</param>
/// <param name="DistanceKilometres">km, one decimal.</param>
/// <param name="AverageSpeedKilometresPerHour">km/h, one decimal.</param>
/// <param name="RecordedAt">When the car computed the figures.</param>
/// <param name="Unavailable">Why there are no figures: privacy_mode, service_disabled or not_reported.</param>
public sealed record TripFiguresResponse(
    DateTimeOffset? StartedAt,
    long? DurationSeconds,
    double? DistanceMetres,
    double? AverageSpeedMetresPerSecond,
    double? AverageFuelConsumptionLitresPer100Km,
    double? AverageElectricConsumptionKwhPer100Km,
    string? Duration,
    double? DistanceKilometres,
    double? AverageSpeedKilometresPerHour,
    DateTimeOffset? RecordedAt,
    string? Unavailable)
{
    public static TripFiguresResponse Missing(string reason) => new(null, null, null, null, null, null, null, null, null, null, reason);

    internal static TripFiguresResponse From(StoredTrip t) => new(
        t.StartedAt, t.DurationSeconds, t.DistanceMetres, t.AverageSpeedMetresPerSecond, t.FuelLitresPer100Km, t.ElectricKwhPer100Km,
        $"{t.DurationSeconds / 3600:00}:{t.DurationSeconds % 3600 / 60:00}",
        Math.Round(t.DistanceMetres / 1000, 1, MidpointRounding.AwayFromZero),
        Math.Round(t.AverageSpeedMetresPerSecond * 3.6, 1, MidpointRounding.AwayFromZero),
        t.RecordedAt, null);
}
