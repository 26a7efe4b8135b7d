using Pitwall.Server.Features.Status;

namespace Pitwall.Server.Features.ChargingAndClimate;

/// <param name="State">charging, not_charging, complete, waiting_for_deferred_start, long_term_charging or error.</param>
/// <param name="Mode">immediate, or deferred (a timer starts charging).</param>
/// <param name="PlugState">unplugged, plugged or locked.</param>
/// <param name="RemainingTime">Until the target is reached, as hh:mm.</param>
/// <param name="StopReason">Why charging last ended: requested, target_reached, unplugged, power_loss or error.</param>
/// <param name="Timers">Charge timers the car confirmed (at most five).</param>
public sealed record ChargingResponse(
    string Vin, bool Online, bool PrivateMode, DateTimeOffset? LastSeenAt,
    SignalResponse StateOfCharge, SignalResponse State, SignalResponse Mode, SignalResponse PlugState, SignalResponse RemainingTime,
    SignalResponse TargetStateOfCharge, SignalResponse ElectricRange, SignalResponse Power, SignalResponse StopReason,
    IReadOnlyList<TimerResponse> Timers);

/// <param name="RemainingTime">Until climatisation ends by itself, as hh:mm.</param>
/// <param name="Zones">Comma-separated: front_left, front_right, rear_left, rear_right.</param>
/// <param name="StopReason">Why climatisation last ended: requested, timeout, low_battery or driving.</param>
/// <param name="Timers">Climate timers the car confirmed (at most five).</param>
public sealed record ClimateResponse(
    string Vin, bool Online, bool PrivateMode, DateTimeOffset? LastSeenAt,
    SignalResponse Active, SignalResponse TargetTemperature, SignalResponse CabinTemperature, SignalResponse OutsideTemperature,
    SignalResponse RemainingTime, SignalResponse Zones, SignalResponse StopReason,
    IReadOnlyList<TimerResponse> Timers);

/// <param name="Id">The slot, 1–5 (the timerId of the commands).</param>
/// <param name="Date">A one-off timer's date, yyyy-MM-dd.</param>
/// <param name="Days">A recurring timer's weekdays, mon…sun.</param>
public sealed record TimerResponse(
    int Id, string Time, string? Date, IReadOnlyList<string>? Days, double? TargetStateOfCharge, DateTimeOffset ConfirmedAt)
{
    internal static TimerResponse From(VehicleTimer t) => new(t.Slot, t.Time, t.Date, t.Days, t.TargetStateOfCharge, t.ConfirmedAt);
}
