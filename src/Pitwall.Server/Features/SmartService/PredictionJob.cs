using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SmartService;

/// <summary>
/// Recomputes the health of the cars with new logs, and once a day of every car (time alone moves due dates): each component's
/// state and predicted maintenance (<see cref="MaintenancePrediction"/>). In one transaction per car it stores the health, tells
/// the car's users when a part became due or a fault appeared (with its description), and queues the health for the car's
/// display. One instance at a time (lease), a bounded batch per run, driven by the <see cref="TimeProvider"/>. A car whose
/// switches stop the service now is left alone (P2).
/// </summary>
internal sealed partial class PredictionJob(
    HealthStore store, CarHealthReader reader, CarMarkets markets, IVehicleDirectory vehicles, IVehicleLink link, Privacy.IServiceAccess access, INotifier notifier,
    LiveEventHub hub, IOptions<SmartServiceOptions> options, Leases leases, TimeProvider time, ILogger<PredictionJob> logger)
    : LeasedJob(leases, time, logger)
{
    private static readonly TimeSpan History = TimeSpan.FromDays(2 * 365);
    private readonly ILogger _logger = logger;

    protected override string LeaseName => "smart_service.prediction";

    protected override TimeSpan Interval => options.Value.PredictionInterval;

    protected override bool Enabled => options.Value.PredictionEnabled;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        foreach (var vin in await store.DueCarsAsync(options.Value.PredictionBatch, now - options.Value.RecomputeAfter, cancellationToken))
        {
            try
            {
                await PredictAsync(vin, now, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCarFailed(_logger, e, LogRef.Vehicle(vin)); // one car's failure never stops the others
            }
        }
    }

    private async Task PredictAsync(string vin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var vehicle = await vehicles.FindAsync(vin, cancellationToken);
        var inputs = await store.InputsAsync(vin, now - History, cancellationToken);
        var privacy = await link.PrivacyAsync(vin, cancellationToken) ?? new PrivacySettings();
        var market = await markets.MarketOfAsync(vin, cancellationToken);
        if (vehicle is null || inputs.LastLogAt is null || !access.ForCarData(ServiceIds.Maintenance, privacy).Allowed)
        {
            await link.SendWithAsync(vin, async (c, t, _) =>
            {
                if (vehicle is not null)
                {
                    await markets.SettleAsync(c, t, vehicle, market);
                }
                await HealthStore.ForgetPendingAsync(c, t, vin);
                return 0;
            }, cancellationToken);
            return;
        }
        var o = options.Value;
        var notifications = new List<Notification>();
        var rows = new List<HealthRow>();
        foreach (var samples in inputs.Conditions)
        {
            if (ComponentRule.For(samples.Key) is not { } rule)
            {
                continue;
            }
            var history = samples.ToList();
            var faulted = inputs.OpenFaults.Any(f => f.Status != "pending" && ComponentRule.ComponentOfFault(f.Code) == samples.Key);
            var p = MaintenancePrediction.Predict(rule, history, ComponentRule.IntervalFor(vehicle.Model, samples.Key), now, faulted, o.DueSoonWithin, o.DueSoonWithinMetres);
            var notified = inputs.Health.GetValueOrDefault(samples.Key)?.NotifiedState ?? MaintenancePrediction.Ok;
            if (ComponentNames.Rank(p.State) > ComponentNames.Rank(notified) && p.State is MaintenancePrediction.DueSoon or MaintenancePrediction.DueNow)
            {
                notifications.Add(new Notification(vin, SmartServiceNotifications.MaintenanceDue.Id, DueMessage(samples.Key, p), now,
                    $"due:{samples.Key}:{p.State}:{history[^1].RecordedAt.ToUnixTimeMilliseconds()}"));
            }
            var latest = history[^1];
            rows.Add(new HealthRow
            {
                Component = samples.Key, State = p.State, Value = latest.Value, RecordedAt = latest.RecordedAt.ToUnixTimeMilliseconds(), OdometerM = latest.Odometer,
                DueAt = p.DueAt?.ToUnixTimeMilliseconds(), DueOdometerM = p.DueOdometer, Confidence = p.Confidence, Points = p.Points, Basis = p.Basis,
                ComputedAt = now.ToUnixTimeMilliseconds(), NotifiedState = ComponentNames.Rank(p.State) == ComponentNames.Rank(notified) ? notified : p.State,
            });
        }
        var newFaults = inputs.OpenFaults.Where(f => f.Notified == 0).Select(reader.Describe).ToList();
        notifications.AddRange(newFaults.Select(f => new Notification(vin, SmartServiceNotifications.FaultReported.Id,
            NotificationText.Of(SmartServiceNotifications.Fault, ("code", f.Code), ("description", f.Description), ("recommendation", f.Recommendation)), now, $"fault:{f.Code}:{f.FirstSeen.ToUnixTimeMilliseconds()}")));
        var frame = HealthFrame(rows, inputs.OpenFaults.Select(reader.Describe), now);
        var first = inputs.Health.Count == 0;
        await link.SendWithAsync(vin, async (c, t, enqueue) =>
        {
            await HealthStore.SaveAsync(c, t, vin, rows, now);
            foreach (var fault in newFaults)
            {
                await HealthStore.MarkFaultNotifiedAsync(c, t, vin, fault.Code);
            }
            foreach (var notification in notifications)
            {
                await notifier.NotifyAsync(c, t, notification);
            }
            await markets.SettleAsync(c, t, vehicle, market);
            if (first)
            {
                await enqueue(new Envelope { SentAtMs = now.ToUnixTimeMilliseconds(), Configuration = new Configuration { ServiceLogSeconds = (uint)o.LogInterval.TotalSeconds } },
                    now.AddDays(30));
            }
            return await enqueue(frame, now.AddDays(7));
        }, cancellationToken);
        hub.Publish(new LiveEvent(vin, "vehicle.health", new { vin }, now));
    }

    /// <summary>E.g. "Brake pads (front): maintenance due soon, predicted by 2027-03-14 or at 45,300 km."</summary>
    private static NotificationText DueMessage(string component, Prediction p)
    {
        (string, object)[] args = [("component", ComponentNames.Of(component)), ("state", ComponentNames.StateText(p.State))];
        return (p.DueAt, p.DueOdometer) switch
        {
            ({ } at, { } odometer) => NotificationText.Of(SmartServiceNotifications.DueByOrAt, [.. args, ("dueAt", at), ("odometerKm", odometer / 1000)]),
            ({ } at, null) => NotificationText.Of(SmartServiceNotifications.DueBy, [.. args, ("dueAt", at)]),
            (null, { } odometer) => NotificationText.Of(SmartServiceNotifications.DueAt, [.. args, ("odometerKm", odometer / 1000)]),
            _ => NotificationText.Of(SmartServiceNotifications.Due, args),
        };
    }

    private static Envelope HealthFrame(IEnumerable<HealthRow> rows, IEnumerable<OpenFault> faults, DateTimeOffset now)
    {
        var health = new ServiceHealth { ComputedAtMs = now.ToUnixTimeMilliseconds() };
        foreach (var row in rows)
        {
            health.Components.Add(new Pitwall.Protocol.V1.ComponentHealth
            {
                Id = ComponentCatalog.Find(row.Component)!.Id, Value = row.Value, DueAtMs = row.DueAt ?? 0, DueAtOdometerM = row.DueOdometerM ?? 0,
                State = row.State switch
                {
                    MaintenancePrediction.DueSoon => Pitwall.Protocol.V1.ComponentHealth.Types.State.DueSoon,
                    MaintenancePrediction.DueNow => Pitwall.Protocol.V1.ComponentHealth.Types.State.DueNow,
                    MaintenancePrediction.Fault => Pitwall.Protocol.V1.ComponentHealth.Types.State.Fault,
                    _ => Pitwall.Protocol.V1.ComponentHealth.Types.State.Ok,
                },
            });
        }
        health.Faults.Add(faults.Select(f => new FaultAdvice { Code = f.Code, Description = f.Description, Recommendation = f.Recommendation }));
        return new Envelope { SentAtMs = now.ToUnixTimeMilliseconds(), ServiceHealth = health };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Smart Service prediction failed for vehicle {VehicleRef}; the next run tries again")]
    private static partial void LogCarFailed(ILogger logger, Exception exception, string vehicleRef);
}
