using System.Data.Common;
using System.Globalization;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>
/// The assistance agent's work on a case (F2): claim it, ask the car for a live diagnosis (with the driver's consent), send help
/// (roadside help with its arrival, a tow with its destination dealer) or solve it by phone, write notes, close it. A case another
/// agent holds reads as absent (404). Each step is on the timeline, told to the driver (notification, and the car's screen through
/// the outbox in the same transaction) and to the other agents' consoles.
/// </summary>
internal sealed class AssistanceWorkflow(
    AssistanceCaseStore store, BreakdownConsents consents, DealerChoice dealers, IVehicleLink link, INotifier notifier, AssistanceFeed feed, TimeProvider time)
{
    public static readonly Refusal CaseNotFound = Refusal.NotFound("No such assistance case (or another agent holds it).");
    private static readonly Refusal NotClaimed = Refusal.Conflict(BreakdownErrorCodes.AssistanceCaseNotClaimed, "Claim the case first.");
    private static readonly Refusal Closed = Refusal.Conflict(BreakdownErrorCodes.AssistanceCaseClosed, "The case is closed.");
    private static readonly Refusal NoConsent = Refusal.Conflict(BreakdownErrorCodes.BreakdownConsentMissing,
        "The driver has not consented to share this call's data with the assistance centre.");
    private static readonly Refusal NoLiveDiagnosis = Refusal.Conflict(BreakdownErrorCodes.LiveDiagnosisNotSupported,
        "A live diagnosis needs a breakdown call from a car that supports it.");

    /// <summary>How long a live-diagnosis request waits for a car that is offline: only worth it during the call.</summary>
    public static readonly TimeSpan LiveDiagnosisLifetime = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan StatusLifetime = TimeSpan.FromDays(1);

    public async Task<(AssistanceCase? Case, Refusal? Refusal)> VisibleAsync(string agentId, string id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } k && (k.ClaimedBy is null || k.ClaimedBy == agentId) ? (k, null) : (null, CaseNotFound);

    public async Task<(CaseResponse? Case, Refusal? Refusal)> CaseAsync(string agentId, string id, CancellationToken cancellationToken)
    {
        var (k, refusal) = await VisibleAsync(agentId, id, cancellationToken);
        return k is null ? (null, refusal) : (CaseViews.Agent(k, await consents.OfAsync(k, cancellationToken), agentId, time.GetUtcNow()), null);
    }

    public async Task<(IReadOnlyList<TimelineEntryResponse>? Timeline, Refusal? Refusal)> TimelineAsync(string agentId, string id, CancellationToken cancellationToken)
    {
        var (k, refusal) = await VisibleAsync(agentId, id, cancellationToken);
        return k is null ? (null, refusal) : (CaseViews.Timeline(await store.EventsAsync(k.Id, cancellationToken), await consents.OfAsync(k, cancellationToken)), null);
    }

    public Task<(CaseResponse? Case, Refusal? Refusal)> ClaimAsync(string agentId, string id, CancellationToken cancellationToken) =>
        ChangeAsync(agentId, id, claim: true, async (c, t, k, send) =>
        {
            k.ClaimedBy = agentId;
            k.ClaimedAt = k.UpdatedAt;
            await AssistanceCaseStore.UpdateAsync(c, t, k,
                "claimed_by = @ClaimedBy, claimed_at = @ClaimedAt, state = CASE WHEN state IN ('waiting', 'requested') THEN 'claimed' ELSE state END");
            await AssistanceCaseStore.AddEventAsync(c, t, k.Kind, BreakdownCallHandler.Event(k, CaseEventKinds.Claimed, agentId, null));
            await send(Status(k, BreakdownStatus.Types.State.InProgress, "An agent of the assistance centre is taking your call."), StatusLifetime);
            return null;
        }, cancellationToken);

    public Task<(CaseResponse? Case, Refusal? Refusal)> NoteAsync(string agentId, string id, string? note, CancellationToken cancellationToken) =>
        ChangeAsync(agentId, id, claim: false, async (c, t, k, _) =>
        {
            if (string.IsNullOrWhiteSpace(note) || note.Length > 2000)
            {
                return Refusal.Invalid("note", "1 to 2000 characters.");
            }
            await AssistanceCaseStore.UpdateAsync(c, t, k, "state = state");
            await AssistanceCaseStore.AddEventAsync(c, t, k.Kind, BreakdownCallHandler.Event(k, CaseEventKinds.Note, agentId, note.Trim()));
            return null;
        }, cancellationToken);

    public async Task<(LiveDiagnosisAskedResponse? Asked, Refusal? Refusal)> AskLiveDiagnosisAsync(
        string agentId, string id, IReadOnlyList<string>? values, CancellationToken cancellationToken)
    {
        if (values is { } names && (names.Count > 64 || names.Any(n => string.IsNullOrWhiteSpace(n) || n.Length > 64)))
        {
            return (null, Refusal.Invalid("values", "At most 64 value names of up to 64 characters."));
        }
        var requestId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var (_, refusal) = await ChangeAsync(agentId, id, claim: false, async (c, t, k, send) =>
        {
            if (k.Kind != CaseKind.Breakdown || Snapshots.Read<BreakdownSnapshot>(k.Snapshot) is { LiveDiagnosisSupported: false })
            {
                return NoLiveDiagnosis;
            }
            if (!(await consents.OfAsync(k, CancellationToken.None)).Assistance)
            {
                return NoConsent;
            }
            await AssistanceCaseStore.UpdateAsync(c, t, k, "state = state");
            var request = new LiveDiagnosisRequest { RequestId = requestId, CallId = k.CallId };
            request.ValueNames.AddRange(values ?? []);
            await send(new Envelope { LiveDiagnosisRequest = request }, LiveDiagnosisLifetime);
            await AssistanceCaseStore.AddEventAsync(c, t, k.Kind, BreakdownCallHandler.Event(k, CaseEventKinds.LiveRequested, agentId,
                values is { Count: > 0 } ? string.Join(", ", values) : "the car's diagnosis set", requestId));
            return null;
        }, cancellationToken);
        return refusal is null ? (new LiveDiagnosisAskedResponse(requestId, time.GetUtcNow() + LiveDiagnosisLifetime), null) : (null, refusal);
    }

    public async Task<(CaseResponse? Case, Refusal? Refusal)> ActAsync(string agentId, string id, CaseActionRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Action is null || !CaseActions.All.Contains(request.Action))
        {
            errors.Add("action", $"One of: {string.Join(", ", CaseActions.All)}.");
        }
        if (request.EtaMinutes is not null and not (>= 1 and <= 24 * 60))
        {
            errors.Add("etaMinutes", "1 to 1440 minutes.");
        }
        if (request.Note?.Length > 2000)
        {
            errors.Add("note", "At most 2000 characters.");
        }
        if (errors.Any)
        {
            return (null, Refusal.Invalid(errors));
        }
        return await ChangeAsync(agentId, id, claim: false, async (c, t, k, send) =>
        {
            var now = time.GetUtcNow();
            var eta = request.EtaMinutes is { } minutes ? now.AddMinutes(minutes) : (DateTimeOffset?)null;
            var at = eta is { } e ? $"; estimated arrival {e.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)}" : "";
            var destination = request.Action == CaseActions.Tow ? await dealers.ResolveAsync(k.Vin, request.DealerId, CancellationToken.None) : null;
            if (request.Action == CaseActions.Tow && destination is null)
            {
                return Refusal.Invalid("dealerId", "A dealer of the directory (empty: the owner's preferred dealer, when there is one).");
            }
            (k.Action, k.EtaAt, k.TowDealerId) = (request.Action, eta?.ToUnixTimeMilliseconds(), destination?.Id);
            var (state, carState, message) = request.Action switch
            {
                CaseActions.RoadsideHelp => (CaseStates.HelpSent, BreakdownStatus.Types.State.HelpSent, $"Roadside help is on its way{at}."),
                CaseActions.Tow => (CaseStates.TowOrdered, BreakdownStatus.Types.State.TowOrdered,
                    $"A tow truck is on its way{at}; it takes your car to {destination!.Name}."),
                _ => (k.State, BreakdownStatus.Types.State.InProgress, "The assistance centre solved your call by phone."),
            };
            // The driver reads it in their language, the arrival in their time zone; the car's display and the log keep English.
            var told = (request.Action, eta) switch
            {
                (CaseActions.RoadsideHelp, { } arrival) => NotificationText.Of(BreakdownNotifications.HelpWithEta, ("eta", arrival)),
                (CaseActions.RoadsideHelp, null) => NotificationText.Of(BreakdownNotifications.HelpOnItsWay),
                (CaseActions.Tow, { } arrival) => NotificationText.Of(BreakdownNotifications.TowWithEta, ("eta", arrival), ("dealer", destination!.Name)),
                (CaseActions.Tow, null) => NotificationText.Of(BreakdownNotifications.Tow, ("dealer", destination!.Name)),
                _ => NotificationText.Of(BreakdownNotifications.SolvedByPhone),
            };
            k.State = state;
            await AssistanceCaseStore.UpdateAsync(c, t, k, "action = @Action, eta_at = @EtaAt, tow_dealer_id = @TowDealerId, state = @State");
            await AssistanceCaseStore.AddEventAsync(c, t, k.Kind, BreakdownCallHandler.Event(k, CaseEventKinds.Action, agentId,
                request.Note is { Length: > 0 } note ? $"{request.Action}: {note}" : request.Action));
            var status = Status(k, carState, message);
            if (destination is not null)
            {
                status.BreakdownStatus.Destination = new Destination
                {
                    DestinationId = "tow-" + k.Id, Name = destination.Name, Kind = "dealer", Phone = destination.Phone ?? "",
                    Address = $"{destination.Address.Street}, {destination.Address.PostalCode} {destination.Address.City}, {destination.Address.Country}",
                    Position = new Position { Latitude = destination.Position.Latitude, Longitude = destination.Position.Longitude },
                };
            }
            await send(status, StatusLifetime);
            await TellDriverAsync(c, t, k, BreakdownNotifications.Help, request.Action!, told, message, now);
            return null;
        }, cancellationToken);
    }

    public Task<(CaseResponse? Case, Refusal? Refusal)> CloseAsync(string agentId, string id, string? note, CancellationToken cancellationToken) =>
        ChangeAsync(agentId, id, claim: false, async (c, t, k, send) =>
        {
            if (note?.Length > 2000)
            {
                return Refusal.Invalid("note", "At most 2000 characters.");
            }
            (k.State, k.ClosedAt) = (CaseStates.Closed, k.UpdatedAt);
            await AssistanceCaseStore.UpdateAsync(c, t, k, "state = @State, closed_at = @ClosedAt");
            await AssistanceCaseStore.AddEventAsync(c, t, k.Kind, BreakdownCallHandler.Event(k, CaseEventKinds.Closed, agentId, note));
            const string Message = "Your call with the assistance centre is closed. Drive safely.";
            await send(Status(k, BreakdownStatus.Types.State.Closed, Message), StatusLifetime);
            await TellDriverAsync(c, t, k, BreakdownNotifications.Closed, "closed", NotificationText.Of(BreakdownNotifications.CallClosed), Message, time.GetUtcNow());
            return null;
        }, cancellationToken);

    private delegate Task<Refusal?> CaseChange(DbConnection connection, DbTransaction transaction, AssistanceCase k, Func<Envelope, TimeSpan, Task> send);

    /// <summary>Runs one change of a case in one transaction with the frames it sends the car (the outbox), after the checks: the case
    /// is visible to the agent, not closed, and claimed by the agent (or being claimed now).</summary>
    private async Task<(CaseResponse? Case, Refusal? Refusal)> ChangeAsync(string agentId, string id, bool claim, CaseChange change, CancellationToken cancellationToken)
    {
        var (found, refusal) = await VisibleAsync(agentId, id, cancellationToken);
        if (found is null)
        {
            return (null, refusal);
        }
        refusal = await link.SendWithAsync<Refusal?>(found.Vin, async (c, t, enqueue) =>
        {
            // Read again inside the transaction: another agent may have claimed or closed it since.
            if (await AssistanceCaseStore.FindAsync(c, t, id) is not { } k || (k.ClaimedBy is not null && k.ClaimedBy != agentId))
            {
                return CaseNotFound;
            }
            if (k.IsClosed)
            {
                return Closed;
            }
            if (!claim && k.ClaimedBy != agentId)
            {
                return NotClaimed;
            }
            k.UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            return await change(c, t, k, (frame, lifetime) => enqueue(frame, time.GetUtcNow() + lifetime));
        }, cancellationToken);
        if (refusal is not null)
        {
            return (null, refusal);
        }
        feed.Publish(new AssistanceEvent("assistance.case_updated", new { id, kind = found.Kind == CaseKind.Emergency ? "emergency" : "breakdown" }));
        return await CaseAsync(agentId, id, cancellationToken);
    }

    /// <param name="step">What happened (the action), so that two steps in the same millisecond are two notifications.</param>
    /// <param name="logged">What the case's log records (English, as the car's display).</param>
    private async Task TellDriverAsync(
        DbConnection c, DbTransaction t, AssistanceCase k, NotificationType type, string step, NotificationText text, string logged, DateTimeOffset now)
    {
        await notifier.NotifyAsync(c, t, new Notification(k.Vin, type.Id, text, now, $"{k.Id}:{step}:{k.UpdatedAt}"));
        await AssistanceCaseStore.AddEventAsync(c, t, k.Kind, BreakdownCallHandler.Event(k, CaseEventKinds.DriverNotified, "platform", logged));
    }

    private static Envelope Status(AssistanceCase k, BreakdownStatus.Types.State state, string message) => new()
    {
        BreakdownStatus = new BreakdownStatus { CallId = k.CallId, State = state, EtaMs = k.EtaAt ?? 0, Message = message, UpdatedAtMs = k.UpdatedAt },
    };
}
