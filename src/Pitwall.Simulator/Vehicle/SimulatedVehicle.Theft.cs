using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// Car Security (E1–E4): theft mode and the monthly health check. In theft mode the car sends a tracking message at the
/// configured interval while it moves (and now and then while it stands); a trigger reason the owner switched off until a
/// time starts nothing; the cloud may ask the car to track (E3) and ends an incident it closed; the owner's key ends theft
/// mode too. Tracking and health checks go out only while the packages make Car Security active; the privacy switches do not
/// stop them (the service cannot be switched off). Without Car Security the car still notices a theft, but tells the cloud
/// only that theft mode started and ended — no position, no tracking (B4: the package cannot be bought for that incident).
/// </summary>
public sealed partial class SimulatedVehicle
{
    /// <summary>The interval a car uses until the cloud sets one.</summary>
    public static readonly TimeSpan DefaultTrackingInterval = TimeSpan.FromSeconds(30);

    private string? _theftIncident;
    private bool _theftCovered;
    private TheftReason _theftReason;
    private long _theftStartedAtMs;
    private TimeSpan _trackingInterval = DefaultTrackingInterval;
    private TimeSpan _sinceTracking;
    private TimeSpan _sinceHealthCheck;
    private string _endedIncident = "";
    private string _requestedIncident = "";
    private readonly Dictionary<TheftReason, long> _suspendedUntilMs = [];

    /// <summary>The car's theft mode: the incident it tracks (null when not in theft mode) and why it started.</summary>
    public (string? IncidentId, TheftReason Reason) TheftMode => Read(_ => (_theftIncident, _theftReason));

    /// <summary>The tracking interval the car applies now.</summary>
    public TimeSpan TrackingInterval => Read(_ => _trackingInterval);

    /// <summary>Tracking messages sent since the car was built.</summary>
    public long TrackingMessagesSent { get; private set; }

    /// <summary>Whether a trigger reason is switched off now.</summary>
    public bool IsTheftReasonSuspended(TheftReason reason) => Read(_ => Suspended(reason));

    /// <summary>
    /// The car detects a theft (E1): unless the reason is switched off or the car is in theft mode already, it enters theft
    /// mode and sends the first tracking message (PHASE_STARTED). Returns whether theft mode started.
    /// </summary>
    public Task<bool> StartTheftAsync(TheftReason reason)
    {
        var started = false;
        Change(() => started = EnterTheftMode(reason, Guid.NewGuid().ToString()));
        return Task.FromResult(started);
    }

    /// <summary>The owner opens the car with its key: theft mode ends (PHASE_ENDED). Returns whether the car was in theft mode.</summary>
    public Task<bool> EndTheftWithKeyAsync()
    {
        var ended = false;
        Change(() =>
        {
            if (_theftIncident is not null)
            {
                SendTracking(TheftTracking.Types.Phase.Ended);
                _theftIncident = null;
                ended = true;
            }
        });
        return Task.FromResult(ended);
    }

    /// <summary>Sends the monthly health check now (E4): one tracking message outside theft mode.</summary>
    public Task SendHealthCheckAsync()
    {
        Change(SendHealthCheck);
        return Task.CompletedTask;
    }

    /// <summary>Enters theft mode. Under the lock.</summary>
    private bool EnterTheftMode(TheftReason reason, string incidentId)
    {
        var covered = CarSecurityActive;
        if (_theftIncident is not null || (reason == TheftReason.RemoteRequest && !covered) || (reason != TheftReason.RemoteRequest && covered && Suspended(reason)))
        {
            return false;
        }
        _theftIncident = incidentId;
        _theftCovered = covered;
        _theftReason = reason;
        _theftStartedAtMs = NowMs();
        _sinceTracking = TimeSpan.Zero;
        SendTracking(TheftTracking.Types.Phase.Started);
        return true;
    }

    /// <summary>After each physics step. Under the lock.</summary>
    private void WatchTheft(TimeSpan elapsed)
    {
        if (_options.HealthCheckInterval > TimeSpan.Zero)
        {
            _sinceHealthCheck += elapsed;
            if (_sinceHealthCheck >= _options.HealthCheckInterval)
            {
                _sinceHealthCheck = TimeSpan.Zero;
                SendHealthCheck();
            }
        }
        if (_theftIncident is null || !_theftCovered)
        {
            return;
        }
        _sinceTracking += elapsed;
        // While it moves at the interval; standing, ten times less often (the position does not change).
        var due = _state.Speed > 0.5 ? _trackingInterval : _trackingInterval * 10;
        if (_sinceTracking >= due)
        {
            _sinceTracking = TimeSpan.Zero;
            SendTracking(TheftTracking.Types.Phase.Tracking);
        }
    }

    /// <summary>Applies the Car Security part of a configuration frame. Under the lock.</summary>
    private void ConfigureTheft(TheftSettings settings)
    {
        _trackingInterval = settings.TrackingIntervalSeconds > 0 ? TimeSpan.FromSeconds(settings.TrackingIntervalSeconds) : DefaultTrackingInterval;
        _suspendedUntilMs.Clear();
        foreach (var suspended in settings.SuspendedTriggers)
        {
            _suspendedUntilMs[suspended.Reason] = suspended.UntilMs;
        }
        if (settings.EndedIncidentId.Length > 0 && settings.EndedIncidentId == _theftIncident)
        {
            SendTracking(TheftTracking.Types.Phase.Ended);
            _theftIncident = null;
        }
        _endedIncident = settings.EndedIncidentId;
        if (settings.RequestedIncidentId.Length > 0 && settings.RequestedIncidentId != _requestedIncident && settings.RequestedIncidentId != _endedIncident)
        {
            EnterTheftMode(TheftReason.RemoteRequest, settings.RequestedIncidentId);
        }
        _requestedIncident = settings.RequestedIncidentId;
    }

    private bool CarSecurityActive => _activeServices is null || _activeServices.Contains(ServiceIds.CarSecurity);

    private bool Suspended(TheftReason reason) => _suspendedUntilMs.TryGetValue(reason, out var until) && until > NowMs();

    private void SendTracking(TheftTracking.Types.Phase phase)
    {
        TrackingMessagesSent++;
        Enqueue(new Envelope
        {
            TheftTracking = new TheftTracking
            {
                IncidentId = _theftIncident!, Phase = phase, Reason = _theftReason, TheftModeStartedAtMs = _theftStartedAtMs,
                TheftModeEndedAtMs = phase == TheftTracking.Types.Phase.Ended ? NowMs() : 0, Data = _theftCovered ? TrackingData() : null,
            },
        }, periodic: false);
    }

    private void SendHealthCheck()
    {
        if (!CarSecurityActive)
        {
            return;
        }
        var check = new HealthCheck { Data = TrackingData() };
        check.SuspendedReasons.AddRange(_suspendedUntilMs.Where(s => s.Value > NowMs()).Select(s => s.Key));
        Enqueue(new Envelope { HealthCheck = check }, periodic: false);
    }

    /// <summary>What the tracking unit measures now (E2). Under the lock.</summary>
    private TrackingData TrackingData()
    {
        var position = _state.Position;
        var data = new TrackingData
        {
            RecordedAtMs = NowMs(),
            Position = new Position { Latitude = position.Latitude, Longitude = position.Longitude, AccuracyM = _state.HorizontalAccuracy, RecordedAtMs = NowMs() },
            // A plausible German cell: the area and cell follow a ~2 km grid around the position.
            GsmCell = new GsmCell
            {
                Mcc = 262, Mnc = 1, Lac = (uint)(Math.Abs(Math.Floor(position.Latitude * 50)) % 65_535),
                CellId = (ulong)(Math.Abs(Math.Floor(position.Latitude * 50) * 100_000 + Math.Floor(position.Longitude * 50)) % 268_435_455), SignalDbm = -75,
            },
            SpeedMps = _state.Speed,
            IgnitionOn = _state.EngineRunning,
            EngineRunning = _state.EngineRunning,
            RemainingRangeM = _state.RangeMetres,
            OdometerM = _state.Odometer,
            BatteryVoltageV = _state.EngineRunning ? 14.2 : 12.5,
            GsmAntenna = AntennaState.Ok,
            GpsAntenna = AntennaState.Ok,
        };
        if (_state.Powertrain == Powertrain.Combustion)
        {
            data.FuelLevelPercent = _state.Level;
        }
        return data;
    }
}
