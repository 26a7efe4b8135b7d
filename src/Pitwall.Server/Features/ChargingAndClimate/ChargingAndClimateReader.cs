using Pitwall.Protocol;
using Pitwall.Server.Features.Status;

namespace Pitwall.Server.Features.ChargingAndClimate;

/// <summary>The E-Control and climate views of the car's last known state (C6, C7), with the timers it confirmed.</summary>
public sealed class ChargingAndClimateReader(StatusReader status, VehicleTimerStore timers)
{
    private static readonly Signal[] ChargingSignals =
    [
        SignalCatalog.StateOfCharge, SignalCatalog.ChargingState, SignalCatalog.ChargingMode, SignalCatalog.ChargingCableConnected,
        SignalCatalog.ChargingCableLocked, SignalCatalog.ChargingTimeToComplete, SignalCatalog.ChargeLimit, SignalCatalog.ElectricRange,
        SignalCatalog.ChargingPower, SignalCatalog.ChargingStopReason,
    ];

    private static readonly Signal[] ClimateSignals =
    [
        SignalCatalog.ClimateActive, SignalCatalog.ClimateTargetTemperature, SignalCatalog.CabinTemperature, SignalCatalog.OutsideTemperature,
        SignalCatalog.ClimateRemainingTime, SignalCatalog.ClimateZones, SignalCatalog.ClimateStopReason,
    ];

    public async Task<ChargingResponse> ChargingAsync(string vin, CancellationToken cancellationToken)
    {
        var s = await status.ReadAsync(vin, ChargingSignals, cancellationToken);
        var list = await timers.ListAsync(vin, VehicleTimerStore.Charge, cancellationToken);
        return new ChargingResponse(vin, s.Online, s.PrivateMode, s.LastSeenAt,
            s[SignalCatalog.StateOfCharge], s[SignalCatalog.ChargingState], s[SignalCatalog.ChargingMode],
            PlugState(s[SignalCatalog.ChargingCableConnected], s[SignalCatalog.ChargingCableLocked]),
            HoursAndMinutes(s[SignalCatalog.ChargingTimeToComplete]), s[SignalCatalog.ChargeLimit], s[SignalCatalog.ElectricRange],
            s[SignalCatalog.ChargingPower], s[SignalCatalog.ChargingStopReason], list.Select(TimerResponse.From).ToList());
    }

    public async Task<ClimateResponse> ClimateAsync(string vin, CancellationToken cancellationToken)
    {
        var s = await status.ReadAsync(vin, ClimateSignals, cancellationToken);
        var list = await timers.ListAsync(vin, VehicleTimerStore.Climate, cancellationToken);
        return new ClimateResponse(vin, s.Online, s.PrivateMode, s.LastSeenAt,
            s[SignalCatalog.ClimateActive], s[SignalCatalog.ClimateTargetTemperature], s[SignalCatalog.CabinTemperature],
            s[SignalCatalog.OutsideTemperature], HoursAndMinutes(s[SignalCatalog.ClimateRemainingTime]), s[SignalCatalog.ClimateZones],
            s[SignalCatalog.ClimateStopReason], list.Select(TimerResponse.From).ToList());
    }

    /// <summary>C7's plug state from the cable's two flags.</summary>
    private static SignalResponse PlugState(SignalResponse connected, SignalResponse locked) =>
        connected.Value is not bool plugged
            ? connected
            : new SignalResponse(!plugged ? "unplugged" : locked.Value is true ? "locked" : "plugged", "",
                Latest(connected.RecordedAt, locked.RecordedAt), null);

    /// <summary>C7 shows remaining time as hh:mm; the car reports seconds.</summary>
    private static SignalResponse HoursAndMinutes(SignalResponse seconds) =>
        seconds.Value is not double s
            ? seconds with { Unit = "" }
            : new SignalResponse($"{(int)(s / 3600):00}:{(int)(s % 3600 / 60):00}", "", seconds.RecordedAt, null);

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a > b || b is null ? a : b;
}
