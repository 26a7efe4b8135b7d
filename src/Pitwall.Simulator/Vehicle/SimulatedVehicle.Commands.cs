using System.Globalization;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// Remote commands (REQUIREMENTS C4–C7) as a car performs them: each takes its type's time (in simulated time, with
/// <see cref="SimulatedVehicleOptions.RealisticCommandTimes"/>), may fail for the car's own reasons, reports the state
/// it changed and then its result — so the app sees the new state no later than the outcome.
/// </summary>
public sealed partial class SimulatedVehicle
{
    private const CommandResult.Types.Outcome Performed = CommandResult.Types.Outcome.Performed;
    private const CommandResult.Types.Outcome Failed = CommandResult.Types.Outcome.Failed;

    // Commands under way, in arrival order; they survive a lost connection like everything else in the car.
    private readonly List<(Command Command, TimeSpan Left)> _executing = [];

    /// <summary>Commands received and not yet done.</summary>
    public int CommandsInProgress => Read(_ => _executing.Count);

    /// <summary>How long a command of <paramref name="type"/> takes in a real car.</summary>
    public static TimeSpan TypicalDuration(string type) => type switch
    {
        "lock" or "unlock" => TimeSpan.FromSeconds(2),
        "honk_flash" or "flash" => TimeSpan.FromSeconds(3),
        "climate_start" or "climate_stop" => TimeSpan.FromSeconds(4),
        "charge_start" or "charge_stop" => TimeSpan.FromSeconds(3),
        _ => TimeSpan.FromSeconds(1),
    };

    /// <summary>Starts a remote command: done at once, or after its typical time as <see cref="Step"/> advances. Under the lock.</summary>
    private void Execute(Command command)
    {
        var duration = _options.RealisticCommandTimes ? TypicalDuration(command.Type) : TimeSpan.Zero;
        if (duration > TimeSpan.Zero || _executing.Count > 0)
        {
            _executing.Add((command, duration));
            return;
        }
        Complete(command);
    }

    /// <summary>Finishes the commands whose time is up, in order. Under the lock.</summary>
    private void AdvanceCommands(TimeSpan elapsed)
    {
        while (_executing.Count > 0)
        {
            var (command, left) = _executing[0];
            if (left > elapsed)
            {
                _executing[0] = (command, left - elapsed);
                return;
            }
            elapsed -= left;
            _executing.RemoveAt(0);
            Complete(command);
        }
    }

    private void Complete(Command command)
    {
        var (outcome, reason) = Perform(command);
        Enqueue(new Envelope
        {
            CommandResult = new CommandResult { CommandId = command.CommandId, Outcome = outcome, Reason = reason },
        }, periodic: false);
    }

    private (CommandResult.Types.Outcome Outcome, string Reason) Perform(Command command)
    {
        if (command.ExpiresAtMs != 0 && command.ExpiresAtMs < NowMs())
        {
            return (Failed, "expired");
        }
        if (_privacy.PrivateMode)
        {
            return (Failed, "privacy_mode");
        }
        if (_privacy.RemoteAccessDisabled)
        {
            return (Failed, "remote_access_disabled");
        }
        var p = command.Parameters;
        var electric = _state.Powertrain == Powertrain.Electric;
        string? refusal;
        switch (command.Type)
        {
            case "lock" when Enum.GetValues<Door>().Any(_state.IsDoorOpen) || _state.TailgateOpen:
                return (Failed, "door_open");
            case "lock" or "unlock":
                _state.Locked = command.Type == "lock";
                Report(Trigger.LockChange, [.. VehicleSignals.Locks, .. VehicleSignals.Position]);
                break;
            case "honk_flash" or "flash" when _state.EngineRunning:
                return (Failed, "driving");
            case "honk_flash" or "flash":
                break;
            case "climate_start":
                refusal = _state.EngineRunning ? "driving"
                    : _state.StartClimate(Number(p, "targetTemperature") ?? 21, p.GetValueOrDefault("zones"));
                if (refusal is not null)
                {
                    return (Failed, refusal);
                }
                ReportClimate();
                break;
            case "climate_stop":
                if (_state.Climate.Active)
                {
                    _state.Climate.Stop("requested");
                    ReportClimate();
                }
                break;
            case "charge_start" or "charge_stop" or "charge_settings" or "charge_timer_set" or "charge_timer_delete" when !electric:
                return (Failed, "unsupported");
            case "charge_start":
                if (_state.Charging.TryStart(_state.Level, _state.Charging.Limit, _state.EngineRunning) is { } why)
                {
                    return (Failed, why);
                }
                ReportCharging();
                break;
            case "charge_stop":
                if (_state.Charging.IsCharging || _state.Charging.State == "waiting_for_deferred_start")
                {
                    _state.Charging.Stop("requested");
                    ReportCharging();
                }
                break;
            case "charge_settings":
                _state.Charging.Limit = Number(p, "targetStateOfCharge") ?? _state.Charging.Limit;
                if (_state.Charging.IsCharging && _state.Level >= _state.Charging.Limit)
                {
                    _state.Charging.Stop("target_reached");
                }
                ReportCharging();
                break;
            case "charge_timer_set" or "climate_timer_set":
                if (CarTimer.Parse(p) is not { } timer || Number(p, "timerId") is not { } slot || slot is < 1 or > CarTimers.Slots)
                {
                    return (Failed, "invalid_timer");
                }
                TimersOf(command.Type).Set((int)slot, timer);
                ReportTimerChange(command.Type);
                break;
            case "charge_timer_delete" or "climate_timer_delete":
                TimersOf(command.Type).Delete((int)(Number(p, "timerId") ?? 0));
                ReportTimerChange(command.Type);
                break;
            default:
                return (Failed, "unsupported");
        }
        return (Performed, "");
    }

    private CarTimers TimersOf(string type) => type.StartsWith("charge", StringComparison.Ordinal) ? _state.Charging.Timers : _state.Climate.Timers;

    /// <summary>A charge timer can switch the charging mode (immediate/deferred); climate timers change no signal.</summary>
    private void ReportTimerChange(string type)
    {
        if (type.StartsWith("charge", StringComparison.Ordinal))
        {
            ReportCharging();
        }
    }

    /// <summary>C7: every E-Control value and the position, at each change of the charging system's state. Under the lock.</summary>
    private void ReportCharging() => Report(Trigger.ChargingChange, [.. VehicleSignals.EControl, .. VehicleSignals.Position]);

    private void ReportClimate() => Report(Trigger.ClimateChange, VehicleSignals.Climate);

    /// <summary>Starts what the car's timers say is due since the last check. Under the lock.</summary>
    private void FireTimers(DateTimeOffset after, DateTimeOffset upTo)
    {
        if (_state.Charging.State == "waiting_for_deferred_start" &&
            _state.Charging.Timers.All.FirstOrDefault(t => t.FiresBetween(after, upTo)) is { } charge &&
            _state.Charging.TryStart(_state.Level, charge.TargetLevel ?? _state.Charging.Limit, _state.EngineRunning) is null)
        {
            ReportCharging();
        }
        if (!_state.Climate.Active && !_state.EngineRunning && _state.Climate.Timers.All.Any(t => t.FiresBetween(after, upTo)) &&
            _state.StartClimate(_state.Climate.TargetTemperature, null) is null)
        {
            ReportClimate();
        }
    }

    private static double? Number(IDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
