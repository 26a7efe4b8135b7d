using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// The anti-theft alarm (D1) and the valet alarm (D3). The car sends these only for services its packages make active
/// and its privacy switches allow; with location services off it sends them without a position.
/// </summary>
public sealed partial class SimulatedVehicle
{
    private ValetSettings? _valet;
    private GeoPosition _valetParkedAt;
    private bool _valetSpeedReported;
    private bool _valetRadiusReported;

    /// <summary>The valet alarm's state: active, and which limits were already reported.</summary>
    public (bool Active, bool SpeedReported, bool RadiusReported) Valet => Read(_ => (_valet?.Active == true, _valetSpeedReported, _valetRadiusReported));

    /// <summary>The anti-theft system goes off (someone opened a door, broke glass, towed the car…): an alarm event.</summary>
    public Task TriggerAlarmAsync(AlarmEvent.Types.Reason reason)
    {
        Change(() =>
        {
            if (MaySend(ServiceIds.VehicleAlarm))
            {
                Enqueue(new Envelope { AlarmEvent = new AlarmEvent { Reason = reason, OccurredAtMs = NowMs(), Position = PositionFix() } }, periodic: false);
            }
        });
        return Task.CompletedTask;
    }

    /// <summary>Applies the valet part of a configuration frame. Under the lock.</summary>
    private void ConfigureValet(ValetSettings settings)
    {
        var wasActive = _valet?.Active == true;
        if (settings.Active && (!wasActive || _valet!.ValetId != settings.ValetId))
        {
            _valet = settings.Clone();
            _valetParkedAt = _state.Position;
            _valetSpeedReported = _valetRadiusReported = false;
            SendValet(ValetEvent.Types.Kind.Started);
        }
        else if (settings.Active)
        {
            _valet = settings.Clone(); // new limits for the same activation
        }
        else if (wasActive)
        {
            SendValet(ValetEvent.Types.Kind.Ended);
            _valet = null;
        }
    }

    /// <summary>After each physics step: each limit is reported once per activation. Under the lock.</summary>
    private void WatchValet()
    {
        if (_valet is not { Active: true } valet)
        {
            return;
        }
        if (!_valetSpeedReported && _state.Speed > valet.MaxSpeedMps)
        {
            _valetSpeedReported = true;
            SendValet(ValetEvent.Types.Kind.SpeedExceeded);
        }
        if (!_valetRadiusReported && _state.Position.DistanceTo(_valetParkedAt) > valet.RadiusM)
        {
            _valetRadiusReported = true;
            SendValet(ValetEvent.Types.Kind.RadiusExceeded);
        }
    }

    private void SendValet(ValetEvent.Types.Kind kind)
    {
        if (MaySend(ServiceIds.ValetAlarm))
        {
            Enqueue(new Envelope
            {
                ValetEvent = new ValetEvent
                {
                    Kind = kind, ValetId = _valet?.ValetId ?? "", Position = PositionFix(), SpeedMps = _state.Speed, OccurredAtMs = NowMs(),
                },
            }, periodic: false);
        }
    }

    /// <summary>The current fix, or none when location services are off. Under the lock.</summary>
    private Position? PositionFix() => _privacy.LocationServicesDisabled
        ? null
        : new Position { Latitude = _state.Position.Latitude, Longitude = _state.Position.Longitude, AccuracyM = _state.HorizontalAccuracy, RecordedAtMs = NowMs() };
}
