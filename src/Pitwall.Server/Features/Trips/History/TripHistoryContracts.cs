namespace Pitwall.Server.Features.Trips.History;

/// <summary>The car's trip history (with its owner's consent): the drives and the charge level over the period asked for.</summary>
/// <param name="Kept">Whether the history is being kept (the owner consented); without it both lists are empty.</param>
/// <param name="RetentionDays">How long a drive or a charge level is kept.</param>
/// <param name="From">The start of the period shown: the period asked for, but never before the caller got access to the car.</param>
/// <param name="Withheld">Why nothing is shown though kept: privacy_mode or service_disabled (as the trip statistics).</param>
/// <param name="Drives">Oldest first.</param>
/// <param name="StateOfCharge">The traction battery's charge level, at most one point every 10 minutes; empty for a car without one.</param>
public sealed record TripHistoryResponse(
    string Vin, bool Kept, int RetentionDays, DateTimeOffset From, string? Withheld, IReadOnlyList<TripDriveResponse> Drives,
    IReadOnlyList<ChargeLevelResponse> StateOfCharge);

/// <summary>One drive as the car computed it at its engine stop (SI units; consumption per 100 km, one of the two by powertrain).</summary>
public sealed record TripDriveResponse(
    DateTimeOffset StartedAt, DateTimeOffset EndedAt, long DurationSeconds, double DistanceMetres, double AverageSpeedMetresPerSecond,
    double? AverageFuelConsumptionLitresPer100Km, double? AverageElectricConsumptionKwhPer100Km);

/// <param name="Percent">State of charge, %.</param>
public sealed record ChargeLevelResponse(DateTimeOffset At, double Percent);

/// <param name="Keep">True to start keeping the history (gives the consent), false to stop and delete it (withdraws it).</param>
internal sealed record TripHistoryChoice(bool? Keep);
