using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Status;

namespace Pitwall.Server.Features.ChargingAndClimate;

/// <summary>
/// Tells the vehicle's users when the driver must act (C6, C7): a charging error, a plug that did not lock, charging
/// that stopped without being asked to, climatisation stopped by a low battery. Each is raised on the change into
/// that state, so a repeated report does not repeat the push.
/// </summary>
public sealed class DriverAlerts(INotifier notifier, TimeProvider time) : IStatusObserver
{
    private static readonly HashSet<uint> Watched =
    [
        SignalCatalog.ChargingState.Id, SignalCatalog.ChargingCableConnected.Id, SignalCatalog.ChargingCableLocked.Id,
        SignalCatalog.ClimateActive.Id,
    ];

    // Charging ends as planned when asked to, at its target, or when the driver unplugs; anything else needs the driver.
    private static readonly HashSet<string> PlannedStops = ["requested", "target_reached", "unplugged"];

    public void Observe(string vin, StatusReport before, IReadOnlyList<SignalValue> values, ICollection<Action> afterCommit)
    {
        if (!values.Any(v => Watched.Contains(v.Id)))
        {
            return;
        }
        string? Text(Signal s, IEnumerable<SignalValue> from) => from.LastOrDefault(v => v.Id == s.Id && v.ValueCase == SignalValue.ValueOneofCase.Text)?.Text;
        bool? Flag(Signal s, IEnumerable<SignalValue> from) => from.LastOrDefault(v => v.Id == s.Id && v.ValueCase == SignalValue.ValueOneofCase.Flag)?.Flag;
        var after = before.Values.Concat(values).ToList();

        var (stateBefore, stateAfter) = (Text(SignalCatalog.ChargingState, before.Values), Text(SignalCatalog.ChargingState, after));
        if (stateAfter == "error" && stateBefore != "error")
        {
            Raise("charging.error", "Charging has failed. Please check the charging cable and the charging point.");
        }
        else if (stateBefore == "charging" && stateAfter == "not_charging" &&
                 Text(SignalCatalog.ChargingStopReason, after) is { } reason && !PlannedStops.Contains(reason))
        {
            Raise("charging.stopped", "Charging stopped unexpectedly. Please check the charging point.");
        }

        static bool Unlocked(bool? connected, bool? locked) => connected == true && locked == false;
        if (Unlocked(Flag(SignalCatalog.ChargingCableConnected, after), Flag(SignalCatalog.ChargingCableLocked, after)) &&
            !Unlocked(Flag(SignalCatalog.ChargingCableConnected, before.Values), Flag(SignalCatalog.ChargingCableLocked, before.Values)))
        {
            Raise("charging.plug_not_locked", "The charging plug is not locked, so the car cannot charge. Please plug it in again.");
        }

        if (Flag(SignalCatalog.ClimateActive, before.Values) == true && Flag(SignalCatalog.ClimateActive, after) == false &&
            Text(SignalCatalog.ClimateStopReason, after) == "low_battery")
        {
            Raise("climate.stopped_low_battery", "Climatisation stopped because the battery is low.");
        }

        void Raise(string type, string message)
        {
            var notification = new Notification(vin, type, message, time.GetUtcNow());
            afterCommit.Add(() => notifier.Notify(notification));
        }
    }
}
