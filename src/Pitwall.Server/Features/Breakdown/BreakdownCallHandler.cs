using System.Collections.Concurrent;
using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Breakdown.Diagnosis;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>
/// The car's breakdown call (F2): the driver pressed the button (a new case, the consent answers from the car's screen recorded for
/// the car's primary user), or the car answered the app's call with its snapshot (the waiting case gets it). The diagnosis is made
/// at once; the driver is told the call arrived; the agents' queue hears of it once it is durable. Nothing is stored in private mode,
/// with the service (or the group "services with location") switched off, or without the package.
/// </summary>
internal sealed partial class BreakdownCallHandler(
    IServiceAccess switches, IEntitlements entitlements, IVehicleDirectory vehicles, INotifier notifier, DiagnosisEngine engine,
    BreakdownConsents consents, DealerChoice dealers, AssistanceFeed feed, ILogger<BreakdownCallHandler> logger) : IVehicleMessageHandler
{
    /// <summary>What the batch opened or updated, for <see cref="Committed"/> (by VIN and seq).</summary>
    private readonly ConcurrentDictionary<(string Vin, long Seq), (AssistanceCase Case, bool Opened)> _done = new();

    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.BreakdownCall;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            if (!switches.ForCarData(ServiceIds.BreakdownCall, message.Privacy).Allowed ||
                !await entitlements.IsEntitledAsync(message.Vin, ServiceIds.BreakdownCall, CancellationToken.None))
            {
                continue;
            }
            var call = message.Envelope.BreakdownCall;
            var k = await CaseOfAsync(message, call);
            if (call.Source == BreakdownCall.Types.Source.DataRequest)
            {
                if (await AssistanceCaseStore.AttachSnapshotAsync(connection, transaction, k) is { } id)
                {
                    k.Id = id;
                    await AssistanceCaseStore.AddEventAsync(connection, transaction, CaseKind.Breakdown, Event(k, CaseEventKinds.Snapshot, "car", "The car sent its snapshot."));
                    _done[(message.Vin, message.Seq)] = (k, false);
                }
                continue;
            }
            if (!await AssistanceCaseStore.OpenAsync(connection, transaction, k))
            {
                continue; // a resend of a call already open
            }
            await AssistanceCaseStore.AddEventAsync(connection, transaction, CaseKind.Breakdown, Event(k, CaseEventKinds.Opened, "car", "Breakdown button pressed in the car."));
            await AssistanceCaseStore.AddEventAsync(connection, transaction, CaseKind.Breakdown, Event(k, CaseEventKinds.Snapshot, "car", "The car sent its snapshot."));
            await notifier.NotifyAsync(connection, transaction, new Notification(k.Vin, BreakdownNotifications.Received.Id,
                NotificationText.Of(BreakdownNotifications.BreakdownReceived), message.ReceivedAt, k.Id + ":received"));
            _done[(message.Vin, message.Seq)] = (k, true);
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            if (_done.TryRemove((message.Vin, message.Seq), out var done))
            {
                _ = AnnounceAsync(done.Case, done.Opened ? message.Envelope.BreakdownCall.Consent : null, done.Opened);
            }
        }
    }

    /// <summary>Records the car's consent answers (for the car's primary user), then tells the agents' consoles.</summary>
    private async Task AnnounceAsync(AssistanceCase k, BreakdownConsent? consent, bool opened)
    {
        try
        {
            if (consent is not null && k.AccountId is { } account)
            {
                await consents.SetAsync(account, k, consent.Assistance, consent.Position, consent.Dealer, "car", CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            LogConsentFailed(logger, e, k.Id); // the call stands; the agent sees the minimum until the driver consents in the app
        }
        feed.Publish(new AssistanceEvent(opened ? "assistance.case_opened" : "assistance.case_updated", new { id = k.Id, kind = "breakdown" }));
    }

    private async Task<AssistanceCase> CaseOfAsync(InboundMessage message, BreakdownCall call)
    {
        var snapshot = Snapshots.From(call);
        var diagnosis = engine.Diagnose(Snapshots.Input(snapshot.Faults, snapshot.LiveValues));
        var at = message.ReceivedAt.ToUnixTimeMilliseconds();
        var car = call.Source == BreakdownCall.Types.Source.Car ? await vehicles.FindAsync(message.Vin, CancellationToken.None) : null;
        return new AssistanceCase
        {
            Id = AssistanceCase.NewId(CaseKind.Breakdown, message.ReceivedAt), Vin = message.Vin, Source = "car", CallId = call.CallId,
            State = CaseStates.Waiting, OpenedAt = at, UpdatedAt = at, Model = car?.Model,
            AccountId = call.Source == BreakdownCall.Types.Source.Car ? await vehicles.PrimaryUserAsync(message.Vin, CancellationToken.None) : null,
            CallbackNumber = call.CallbackNumber.Length > 0 ? call.CallbackNumber : null,
            Latitude = call.Position?.Latitude, Longitude = call.Position?.Longitude, AccuracyM = call.Position?.AccuracyM,
            PositionAt = call.Position is null ? null : (call.Position.RecordedAtMs > 0 ? call.Position.RecordedAtMs : at),
            Snapshot = Snapshots.Serialize(snapshot), SnapshotAt = call.RecordedAtMs, Diagnosis = Snapshots.Serialize(diagnosis),
            DealerId = call.Consent is { Dealer: true } c ? (await dealers.ResolveAsync(message.Vin, c.DealerId, CancellationToken.None))?.Id : null,
        };
    }

    internal static CaseEvent Event(AssistanceCase k, string kind, string? actor, string? detail, string? requestId = null) => new()
    {
        Id = Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(k.UpdatedAt)).ToString("N"), CaseId = k.Id, At = k.UpdatedAt, Kind = kind, Actor = actor, Detail = detail, RequestId = requestId,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the car's consent answers of breakdown case {CaseId}")]
    private static partial void LogConsentFailed(ILogger logger, Exception exception, string caseId);
}
