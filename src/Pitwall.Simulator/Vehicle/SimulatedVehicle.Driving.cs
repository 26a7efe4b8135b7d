using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>What the driver does, and the status reports it triggers. Each method queues its report and returns.</summary>
public sealed partial class SimulatedVehicle
{
    private static readonly uint[] EngineStartSignals =
        [SignalCatalog.IgnitionOn.Id, SignalCatalog.EngineRunning.Id, SignalCatalog.Speed.Id, SignalCatalog.Odometer.Id];

    private static readonly uint[] PeriodicSignals =
        [SignalCatalog.Speed.Id, SignalCatalog.Odometer.Id, SignalCatalog.IgnitionOn.Id, SignalCatalog.EngineRunning.Id];

    private static readonly uint[] TailgateSignals = [SignalCatalog.TrunkOpen.Id, SignalCatalog.TrunkLocked.Id];

    /// <summary>Ignition on (an EV becomes ready to drive): ENGINE_START. The car stands until it drives.</summary>
    public Task StartEngineAsync()
    {
        StartEngine();
        return Task.CompletedTask;
    }

    private void StartEngine() =>
        Change(() =>
        {
            if (_state.EngineRunning)
            {
                return;
            }
            _breakdown = null; // help came, or the driver got it going again
            var wasPlugged = _state.Charging.CableConnected;
            var wasClimatising = _state.Climate.Active;
            _state.SetEngine(true);
            BeginTrip();
            if (wasPlugged)
            {
                ReportCharging();
            }
            if (wasClimatising)
            {
                ReportClimate();
            }
            // C7: every E-Control value at ignition on and off.
            Report(Trigger.EngineStart, [.. EngineStartSignals, .. VehicleSignals.Energy, .. VehicleSignals.EControl, .. VehicleSignals.Position]);
            if (_options.PollUpdatesAtStart)
            {
                PollForUpdate(); // F3: at every start
            }
            if (_options.PollMapsAtStart)
            {
                PollForMapUpdate(); // F5: at every start
            }
        });

    /// <summary>Ignition off: ENGINE_STOP with the car's full state.</summary>
    public Task StopEngineAsync()
    {
        Change(() =>
        {
            if (!_state.EngineRunning)
            {
                return;
            }
            _state.SetEngine(false);
            Report(Trigger.EngineStop, SupportedSignals);
            EndTrip(); // C3: the trip statistics follow the engine-stop report
        });
        return Task.CompletedTask;
    }

    /// <summary>Sets off at an urban pace (starting the engine when needed) and advances <paramref name="duration"/> of
    /// simulated time in one-second steps. Returns at once: it moves the car, not the clock.</summary>
    public Task DriveAsync(TimeSpan duration, CancellationToken cancellationToken = default) => DriveAsync(duration, null, cancellationToken);

    /// <summary>As <see cref="DriveAsync(TimeSpan, CancellationToken)"/>; with <paramref name="speed"/> (m/s) the driver
    /// holds that speed rather than changing pace.</summary>
    public Task DriveAsync(TimeSpan duration, double? speed, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        StartEngine();
        Change(() =>
        {
            _state.HoldSpeed = speed is not null;
            if (speed is { } held)
            {
                _state.TargetSpeed = held;
            }
            else if (_state.TargetSpeed <= 0)
            {
                _state.TargetSpeed = 13.9;
            }
        });
        for (var left = duration; left > TimeSpan.Zero; left -= DriveStep)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Step(left < DriveStep ? left : DriveStep);
        }
        return Task.CompletedTask;
    }

    /// <summary>Advances the physics by <paramref name="elapsed"/>: driving, energy use, charging, and the reports those
    /// cause (energy thresholds, charging stopped, periodic and load-generation reports).</summary>
    public void Step(TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        Connection? flush;
        lock (_gate)
        {
            AdvanceCommands(elapsed);
            var now = _time.GetUtcNow();
            FireTimers(_timersCheckedUpTo, now);
            _timersCheckedUpTo = now;
            var (speedBefore, odometerBefore, levelBefore) = (_state.Speed, _state.Odometer, _state.Level);
            var changes = StepMeteringTrip(elapsed);
            AdvanceService(elapsed, speedBefore, odometerBefore, levelBefore);
            WatchBreakdown(elapsed, _state.Odometer - odometerBefore);
            WatchValet();
            WatchGeofences(elapsed);
            WatchTheft(elapsed);
            WatchUpdates(elapsed);
            if ((changes & StateChanges.LevelBand) != 0)
            {
                Report(Trigger.BatteryLevel, [.. VehicleSignals.Energy, .. VehicleSignals.Position]);
            }
            if ((changes & StateChanges.Charging) != 0)
            {
                ReportCharging();
            }
            if ((changes & StateChanges.Climate) != 0)
            {
                ReportClimate();
            }
            _sincePeriodic += elapsed;
            if (_periodicInterval > TimeSpan.Zero && _sincePeriodic >= _periodicInterval)
            {
                // One report however long the step: the state is the same for all of them.
                _sincePeriodic = TimeSpan.FromTicks(_sincePeriodic.Ticks % _periodicInterval.Ticks);
                ReportPeriodic();
            }
            if (_options.ExtraReportsPerSecond > 0)
            {
                _extraReportsDue = Math.Min(_extraReportsDue + elapsed.TotalSeconds * _options.ExtraReportsPerSecond, _options.ResendCapacity);
                for (; _extraReportsDue >= 1; _extraReportsDue--)
                {
                    ReportPeriodic();
                }
            }
            flush = ClaimFlush();
        }
        StartFlush(flush);
    }

    /// <summary>Opens a door (unlocking the car, as a key-less entry does): DOOR_OPEN.</summary>
    public Task OpenDoorAsync(Door door = Door.FrontLeft) => SetDoorAsync(door, open: true);

    public Task CloseDoorAsync(Door door = Door.FrontLeft) => SetDoorAsync(door, open: false);

    public Task OpenTailgateAsync() => SetTailgateAsync(open: true);

    public Task CloseTailgateAsync() => SetTailgateAsync(open: false);

    /// <summary>Locks or unlocks with the key (no report of its own; the next report carries the lock state).</summary>
    public void SetLocked(bool locked) => Change(() => _state.Locked = locked);

    /// <summary>An EV is plugged in and charges to <paramref name="targetLevel"/> % (CHARGING_CHANGE now and when done);
    /// a combustion car refuels at once (a BATTERY_LEVEL report when a 10 % threshold was crossed).</summary>
    public Task ChargeAsync(double targetLevel = 100)
    {
        Change(() =>
        {
            if (_state.Powertrain == Powertrain.Combustion)
            {
                if (!_state.EngineRunning && (_state.Refuel() & StateChanges.LevelBand) != 0)
                {
                    Report(Trigger.BatteryLevel, [.. VehicleSignals.Energy, .. VehicleSignals.Position]);
                }
            }
            else if (!_state.EngineRunning)
            {
                _state.Charging.Limit = Math.Clamp(targetLevel, 25, 100);
                _state.Charging.PlugIn(11, locks: true, _state.Level);
                ReportCharging();
            }
        });
        return Task.CompletedTask;
    }

    /// <summary>Plugs an EV into a charger of <paramref name="chargerKw"/>: it charges at once (immediate mode) or waits for a
    /// charge timer (deferred); a plug that does not lock leaves it not charging. CHARGING_CHANGE.</summary>
    public Task PlugInAsync(double chargerKw = 11, bool plugLocks = true)
    {
        Change(() =>
        {
            if (_state.Powertrain == Powertrain.Electric && !_state.EngineRunning && !_state.Charging.CableConnected)
            {
                _state.Charging.PlugIn(chargerKw, plugLocks, _state.Level);
                ReportCharging();
            }
        });
        return Task.CompletedTask;
    }

    public Task UnplugAsync() => ChangeCharging(c => c.CableConnected, c => c.Unplug());

    /// <summary>The charger fails: charging state error until unplugged.</summary>
    public Task ChargingFaultAsync() => ChangeCharging(c => c.CableConnected, c => c.Fault());

    /// <summary>The charge point loses power: charging stops without being asked to (stop reason power_loss).</summary>
    public Task PowerCutAsync() => ChangeCharging(c => c.IsCharging, c => c.Stop("power_loss"));

    private Task ChangeCharging(Func<ChargingSystem, bool> applies, Action<ChargingSystem> change)
    {
        Change(() =>
        {
            if (applies(_state.Charging))
            {
                change(_state.Charging);
                ReportCharging();
            }
        });
        return Task.CompletedTask;
    }

    /// <summary>
    /// Changes the privacy switches (REQUIREMENTS P1, P2) and sends a PRIVACY_CHANGE report carrying them. In private
    /// mode that report is the last one until private mode ends; with location services off, reports omit position.
    /// </summary>
    public Task SetPrivacyAsync(PrivacySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Change(() =>
        {
            if (settings.Equals(_privacy))
            {
                return;
            }
            _privacy = settings.Clone();
            Report(Trigger.PrivacyChange, SupportedSignals, withPrivacy: true);
        });
        return Task.CompletedTask;
    }

    /// <summary>Sends a report with <paramref name="trigger"/> now, with that trigger's usual signals (all for ON_REQUEST,
    /// ENGINE_STOP and PRIVACY_CHANGE). Nothing is sent in private mode, except PRIVACY_CHANGE.</summary>
    public Task SendStatusAsync(Trigger trigger)
    {
        Change(() =>
        {
            switch (trigger)
            {
                case Trigger.EngineStart:
                    Report(trigger, [.. EngineStartSignals, .. VehicleSignals.Energy, .. VehicleSignals.Position]);
                    break;
                case Trigger.DoorOpen or Trigger.DoorClose:
                    Report(trigger, [.. VehicleSignals.DoorOpen, .. VehicleSignals.Locks, .. VehicleSignals.Position]);
                    break;
                case Trigger.TailgateOpen or Trigger.TailgateClose:
                    Report(trigger, [.. TailgateSignals, .. VehicleSignals.Position]);
                    break;
                case Trigger.BatteryLevel or Trigger.ChargingChange:
                    Report(trigger, [.. VehicleSignals.Energy, .. VehicleSignals.Position]);
                    break;
                case Trigger.Periodic:
                    ReportPeriodic();
                    break;
                default:
                    Report(trigger, SupportedSignals, withPrivacy: trigger is Trigger.OnRequest or Trigger.PrivacyChange);
                    break;
            }
        });
        return Task.CompletedTask;
    }

    private Task SetDoorAsync(Door door, bool open)
    {
        Change(() =>
        {
            if (_state.IsDoorOpen(door) == open)
            {
                return;
            }
            if (open)
            {
                _state.Locked = false;
            }
            _state.SetDoor(door, open);
            Report(open ? Trigger.DoorOpen : Trigger.DoorClose,
                [VehicleSignals.DoorOpen[(int)door], .. VehicleSignals.Locks, .. VehicleSignals.Position]);
        });
        return Task.CompletedTask;
    }

    private Task SetTailgateAsync(bool open)
    {
        Change(() =>
        {
            if (_state.TailgateOpen == open)
            {
                return;
            }
            if (open)
            {
                _state.Locked = false;
            }
            _state.TailgateOpen = open;
            Report(open ? Trigger.TailgateOpen : Trigger.TailgateClose, [.. TailgateSignals, .. VehicleSignals.Position]);
        });
        return Task.CompletedTask;
    }

    private void ReportPeriodic() => Report(Trigger.Periodic, [.. PeriodicSignals, .. VehicleSignals.Energy, .. VehicleSignals.Position]);

    /// <summary>Runs <paramref name="change"/> under the lock, then sends what it queued.</summary>
    private void Change(Action change)
    {
        Connection? flush;
        lock (_gate)
        {
            change();
            flush = ClaimFlush();
        }
        StartFlush(flush);
    }

    /// <summary>Queues a status report of the allowed, supported <paramref name="ids"/>. Under the lock.</summary>
    private void Report(Trigger trigger, IEnumerable<uint> ids, string requestId = "", bool withPrivacy = false)
    {
        // P1: in private mode the car reports nothing but the change of its privacy settings.
        if (_privacy.PrivateMode && trigger != Trigger.PrivacyChange)
        {
            return;
        }
        var report = new StatusReport { Trigger = trigger, RequestId = requestId };
        if (!_privacy.PrivateMode)
        {
            VehicleSignals.AddValues(report, _state, ids, _privacy, NowMs());
        }
        if (withPrivacy)
        {
            report.Privacy = _privacy.Clone();
        }
        // A trigger whose every value the settings forbid says nothing; an answer to a request still goes.
        if (report.Values.Count == 0 && report.Privacy is null && trigger != Trigger.OnRequest)
        {
            return;
        }
        Enqueue(new Envelope { StatusReport = report }, periodic: trigger == Trigger.Periodic);
    }

    /// <summary>Numbers a frame and puts it in the resend buffer; <see cref="ClaimFlush"/> sends it. Under the lock.</summary>
    private void Enqueue(Envelope payload, bool periodic)
    {
        Queued++;
        if (_buffer.Add(new BufferedFrame(_seq.Next(), payload.ToByteArray(), periodic)))
        {
            Dropped++;
        }
    }
}
