using System.Collections.Concurrent;
using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Breakdown.Diagnosis;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>
/// The emergency call (P1): stored whatever the car's switches and packages say — the one car message private mode lets through
/// (<see cref="IServiceAccess"/> passes <see cref="ServiceIds.EmergencyCall"/> always) — and put at the top of the agents' queue.
/// </summary>
internal sealed class EmergencyCallHandler(IServiceAccess switches, IVehicleDirectory vehicles, INotifier notifier, AssistanceFeed feed) : IVehicleMessageHandler
{
    private readonly ConcurrentDictionary<(string Vin, long Seq), string> _opened = new();

    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.EmergencyCall;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages.Where(m => switches.ForCarData(ServiceIds.EmergencyCall, m.Privacy).Allowed))
        {
            var call = message.Envelope.EmergencyCall;
            var at = message.ReceivedAt.ToUnixTimeMilliseconds();
            var car = await vehicles.FindAsync(message.Vin, CancellationToken.None);
            var k = new AssistanceCase
            {
                Id = AssistanceCase.NewId(CaseKind.Emergency, message.ReceivedAt), Vin = message.Vin, Source = "car", CallId = call.CallId,
                State = CaseStates.Waiting, OpenedAt = at, UpdatedAt = at, Model = car?.Model ?? (call.VehicleType.Length > 0 ? call.VehicleType : null),
                AccountId = await vehicles.PrimaryUserAsync(message.Vin, CancellationToken.None),
                CallbackNumber = call.CallbackNumber.Length > 0 ? call.CallbackNumber : null,
                Latitude = call.Position?.Latitude, Longitude = call.Position?.Longitude, AccuracyM = call.Position?.AccuracyM,
                PositionAt = call.Position is null ? null : (call.Position.RecordedAtMs > 0 ? call.Position.RecordedAtMs : at),
                Snapshot = Snapshots.Serialize(Snapshots.From(call)), SnapshotAt = call.OccurredAtMs > 0 ? call.OccurredAtMs : at,
            };
            if (!await AssistanceCaseStore.OpenAsync(connection, transaction, k))
            {
                continue;
            }
            var trigger = call.Trigger == EmergencyCall.Types.Trigger.Crash ? "Crash detected by the car." : "SOS button pressed in the car.";
            await AssistanceCaseStore.AddEventAsync(connection, transaction, CaseKind.Emergency, BreakdownCallHandler.Event(k, CaseEventKinds.Opened, "car", trigger));
            await notifier.NotifyAsync(connection, transaction, new Notification(k.Vin, BreakdownNotifications.Received.Id,
                NotificationText.Of(BreakdownNotifications.EmergencyReceived), message.ReceivedAt, k.Id + ":received"));
            _opened[(message.Vin, message.Seq)] = k.Id;
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            if (_opened.TryRemove((message.Vin, message.Seq), out var id))
            {
                feed.Publish(new AssistanceEvent("assistance.case_opened", new { id, kind = "emergency" }));
            }
        }
    }
}

/// <summary>The car's answer to a live-diagnosis request: kept in the case's timeline with its diagnosis, which becomes the case's.</summary>
internal sealed class LiveDiagnosisHandler(IServiceAccess switches, DiagnosisEngine engine, AssistanceFeed feed) : IVehicleMessageHandler
{
    private readonly ConcurrentDictionary<(string Vin, long Seq), string> _answered = new();

    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.LiveDiagnosis;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages.Where(m => switches.ForCarData(ServiceIds.BreakdownCall, m.Privacy).Allowed))
        {
            var answer = message.Envelope.LiveDiagnosis;
            if (await AssistanceCaseStore.CaseOfRequestAsync(connection, transaction, message.Vin, answer.RequestId) is not { } caseId)
            {
                continue; // an answer to nothing we asked (or to a case already deleted)
            }
            var faults = Snapshots.Faults(answer.Faults);
            var values = Snapshots.Values(answer.Values);
            var diagnosis = answer.Unavailable.Length > 0 ? null : engine.Diagnose(Snapshots.Input(faults, values));
            var view = new LiveDiagnosisView(DateTimeOffset.FromUnixTimeMilliseconds(answer.RecordedAtMs), answer.Unavailable.Length > 0 ? answer.Unavailable : null,
                faults, values, diagnosis);
            var k = new AssistanceCase { Id = caseId, UpdatedAt = message.ReceivedAt.ToUnixTimeMilliseconds(), Diagnosis = diagnosis is null ? null : Snapshots.Serialize(diagnosis) };
            await AssistanceCaseStore.AddEventAsync(connection, transaction, CaseKind.Breakdown,
                BreakdownCallHandler.Event(k, CaseEventKinds.LiveAnswered, "car", Snapshots.Serialize(view), answer.RequestId));
            await AssistanceCaseStore.UpdateAsync(connection, transaction, k, "diagnosis = COALESCE(@Diagnosis, diagnosis)");
            _answered[(message.Vin, message.Seq)] = caseId;
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            if (_answered.TryRemove((message.Vin, message.Seq), out var id))
            {
                feed.Publish(new AssistanceEvent("assistance.case_updated", new { id, kind = "breakdown", liveDiagnosis = message.Envelope.LiveDiagnosis.RequestId }));
            }
        }
    }
}
