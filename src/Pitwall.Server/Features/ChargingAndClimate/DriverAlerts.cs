using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.ChargingAndClimate;

/// <summary>
/// Tells the vehicle's users when the driver must act (C6, C7): a charging error, a plug that did not lock, charging
/// that stopped without being asked to, climatisation stopped by a low battery. Each is raised on the change into
/// that state, so a repeated report does not repeat the push.
/// </summary>
internal sealed class DriverAlerts(INotifier notifier) : IStatusObserver
{
    private static readonly HashSet<uint> Watched =
    [
        SignalCatalog.ChargingState.Id, SignalCatalog.ChargingCableConnected.Id, SignalCatalog.ChargingCableLocked.Id,
        SignalCatalog.ClimateActive.Id,
    ];

    private static readonly Dictionary<string, NotificationTemplate> Messages = new()
    {
        [ChargingNotifications.ChargingError.Id] = ChargingNotifications.ChargingErrorText,
        [ChargingNotifications.ChargingStopped.Id] = ChargingNotifications.ChargingStoppedText,
        [ChargingNotifications.ChargingPlugNotLocked.Id] = ChargingNotifications.PlugNotLockedText,
        [ChargingNotifications.ClimateStoppedLowBattery.Id] = ChargingNotifications.ClimateStoppedText,
    };

    // Charging ends as planned when asked to, at its target, or when the driver unplugs; anything else needs the driver.
    private static readonly HashSet<string> PlannedStops = ["requested", "target_reached", "unplugged"];

    public async Task ObserveAsync(DbConnection connection, DbTransaction transaction, InboundMessage message, StatusReport before, IReadOnlyList<SignalValue> values)
    {
        if (!AnyWatched(values))
        {
            return;
        }
        var raised = new List<NotificationType>();
        string? Text(Signal s, IEnumerable<SignalValue> from) => from.LastOrDefault(v => v.Id == s.Id && v.ValueCase == SignalValue.ValueOneofCase.Text)?.Text;
        bool? Flag(Signal s, IEnumerable<SignalValue> from) => from.LastOrDefault(v => v.Id == s.Id && v.ValueCase == SignalValue.ValueOneofCase.Flag)?.Flag;
        var after = before.Values.Concat(values).ToList();

        var (stateBefore, stateAfter) = (Text(SignalCatalog.ChargingState, before.Values), Text(SignalCatalog.ChargingState, after));
        if (stateAfter == "error" && stateBefore != "error")
        {
            raised.Add(ChargingNotifications.ChargingError);
        }
        else if (stateBefore == "charging" && stateAfter == "not_charging" &&
                 Text(SignalCatalog.ChargingStopReason, after) is { } reason && !PlannedStops.Contains(reason))
        {
            raised.Add(ChargingNotifications.ChargingStopped);
        }

        static bool Unlocked(bool? connected, bool? locked) => connected == true && locked == false;
        if (Unlocked(Flag(SignalCatalog.ChargingCableConnected, after), Flag(SignalCatalog.ChargingCableLocked, after)) &&
            !Unlocked(Flag(SignalCatalog.ChargingCableConnected, before.Values), Flag(SignalCatalog.ChargingCableLocked, before.Values)))
        {
            raised.Add(ChargingNotifications.ChargingPlugNotLocked);
        }

        if (Flag(SignalCatalog.ClimateActive, before.Values) == true && Flag(SignalCatalog.ClimateActive, after) == false &&
            Text(SignalCatalog.ClimateStopReason, after) == "low_battery")
        {
            raised.Add(ChargingNotifications.ClimateStoppedLowBattery);
        }

        foreach (var type in raised)
        {
            await notifier.NotifyAsync(connection, transaction,
                new Notification(message.Vin, type.Id, NotificationText.Of(Messages[type.Id]), message.ReceivedAt, $"{message.Seq}:{type.Id}"));
        }
    }

    /// <summary>By index: every report passes here, and an enumerator through the interface is an object per report.</summary>
    private static bool AnyWatched(IReadOnlyList<SignalValue> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (Watched.Contains(values[i].Id))
            {
                return true;
            }
        }
        return false;
    }
}
