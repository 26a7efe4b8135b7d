using Pitwall.Server.Features.Charging.Commands;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Charging.Sessions;

/// <summary>The car the session charges, when it is one of the account's cars: its E-Control state (REQUIREMENTS E-Control).</summary>
/// <param name="State">charging, not_charging, complete, … as <c>GET /api/v1/vehicles/{vin}/charging</c> says; null when unknown.</param>
public sealed record LinkedCarResponse(string Vin, string? State, object? StateOfCharge, object? PowerKw, string? PlugState, DateTimeOffset? RecordedAt);

/// <summary>A running charge at a public station as the owner sees it live: energy, duration and cost so far.</summary>
/// <param name="CostSource"><c>operator</c> (the session's <c>total_cost</c>), <c>tariff</c> (priced by the operator's tariff) or
/// <c>none</c>.</param>
public sealed record LiveChargingSessionResponse(
    string SessionId, string Status, DateTimeOffset StartedAt, double DurationMinutes, decimal EnergyKwh, ChargePriceResponse? Cost, string CostSource,
    ChargeLocationResponse Location, string Operator, string? CommandId, DateTimeOffset LastUpdated, LinkedCarResponse? Car);

/// <summary>Public charging for the portal (the Web pages use the Charging Service through this interface).</summary>
public interface IPublicCharging
{
    /// <summary>The account's running sessions at public stations (PENDING or ACTIVE), newest first.</summary>
    Task<IReadOnlyList<LiveChargingSessionResponse>> RunningAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>The account's charges (CDRs of the last 90 days), newest first.</summary>
    Task<IReadOnlyList<ChargeResponse>> HistoryAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Starts charging at the EVSE (its id or its QR code's URL) with the account's app token.</summary>
    Task<(ChargingCommandResponse? Command, Refusal? Refusal)> StartAsync(HttpRequest request, string accountId, string vin, string? evse, CancellationToken cancellationToken);

    /// <summary>The account's latest commands at public stations for the car, newest first.</summary>
    Task<IReadOnlyList<ChargingCommandResponse>> LatestCommandsAsync(string accountId, string vin, int count, CancellationToken cancellationToken);

    /// <summary>Stops one of the account's running sessions.</summary>
    Task<(ChargingCommandResponse? Command, Refusal? Refusal)> StopAsync(HttpRequest request, string accountId, string vin, string sessionId, CancellationToken cancellationToken);
}
