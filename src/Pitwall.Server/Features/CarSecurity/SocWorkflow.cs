using System.Data.Common;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>
/// The security centre's operators (E3) and everything they change on a case: they claim, annotate and hand over cases, call
/// the owner on the stored numbers in order, check the owner's identity by the security answer (compared, never shown,
/// attempts limited), and decide: false alarm → closed; theft confirmed → handed to the authority; recovered → closed. Every
/// action goes into the case's audit log in the same transaction; a change the car must know travels in that transaction too.
/// Owners' and authorities' actions are <see cref="OwnerCarSecurity"/> and <see cref="AuthorityTracking"/>.
/// </summary>
public sealed class SocWorkflow(
    Database database, TheftCaseStore store, TheftConfiguration configuration, ICarSecurityContacts contacts, IVehicleDirectory vehicles, IAccountDirectory accounts,
    INotifier notifier, SocFeed feed, AccessKeys keys, IOptions<CarSecurityOptions> options, TimeProvider time)
{
    public static readonly Refusal CaseNotFound = new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The case was not found.");
    private static readonly Refusal Closed = new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.CaseClosed, "The case is closed.");
    private static readonly Refusal NotClaimed = new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.CaseNotClaimed, "Claim the case first.");
    private static readonly Refusal ClaimedByAnother =
        new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.CaseClaimed, "Another operator holds the case; ask them to hand it over.");
    private static readonly Refusal NoCarSecurityDetails =
        new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.NoCarSecurityDetails, "The car has no Car Security contract with contact data.");
    private const int MaxNoteLength = 2000;

    // ---- reading ----

    public async Task<(CaseResponse? Case, Refusal? Refusal)> CaseAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } k)
        {
            return (null, CaseNotFound);
        }
        var contact = await contacts.ForVehicleAsync(k.Vin, cancellationToken);
        var (_, interval) = await store.SettingsAsync(k.Vin, cancellationToken);
        var max = options.Value.IdentityCheckAttempts;
        return (new CaseResponse(CaseSummaryResponse.From(k), Describe.Vehicle(await vehicles.FindAsync(k.Vin, cancellationToken), contact),
            contact is null ? null : new OwnerContactResponse(contact.PhoneNumbers.Select((n, i) => new PhoneNumberResponse(i + 1, n)).ToList(), contact.SecurityQuestion),
            k.IdentityAttempts, k.IdentityVerifiedAt is null ? Math.Max(0, max - k.IdentityAttempts) : 0, k.IdentityVerifiedAt is not null, k.AuthorityAccountId,
            k.AuthorityReference, k.Circumstances, k.TheftModeStartedAt, k.TheftModeEndedAt, k.ConfirmedAt, k.ClosedAt, interval), null);
    }

    public async Task<ContactLogResponse> ContactLogAsync(TheftCase k, CancellationToken cancellationToken) =>
        await ContactLogAsync(k.Id, (await contacts.ForVehicleAsync(k.Vin, cancellationToken))?.PhoneNumbers.Count ?? 0, cancellationToken);

    /// <param name="phoneCount">How many numbers the owner stored (the case's <see cref="CaseResponse.Contact"/>); 0 = none.</param>
    public async Task<ContactLogResponse> ContactLogAsync(string caseId, int phoneCount, CancellationToken cancellationToken)
    {
        var attempts = await store.ContactsAsync(caseId, cancellationToken);
        var reached = attempts.Any(a => a.Outcome == ContactOutcomes.Reached); // then nobody needs calling any more
        return new ContactLogResponse(attempts.Select(ContactAttemptResponse.From).ToList(), phoneCount == 0 || reached ? null : NextPhone(attempts, phoneCount));
    }

    /// <summary>The numbers are called in order: the one after the last called (the first again after the last), the first at the start.</summary>
    private static int NextPhone(IReadOnlyList<ContactAttempt> attempts, int phoneCount) =>
        attempts.Count == 0 ? 1 : attempts[^1].PhoneIndex % phoneCount + 1;

    private static Refusal? NoteTooLong(string? note) =>
        note is { Length: > MaxNoteLength } ? Refusal.Invalid("note", "At most {0} characters.", MaxNoteLength) : null;

    // ---- SOC actions ----

    public Task<(TheftCase? Case, Refusal? Refusal)> ClaimAsync(string operatorId, string id, CancellationToken cancellationToken)
    {
        var actor = new Actor(operatorId, Roles.SocOperator);
        return ActAsync(id, actor, requireClaim: false, async (c, t, k, now) =>
        {
            if (k.AssignedTo == operatorId)
            {
                return null;
            }
            if (!await TheftCaseStore.ClaimAsync(c, t, id, operatorId))
            {
                return ClaimedByAnother;
            }
            await TheftCaseStore.AuditAsync(c, t, id, actor, "claimed", "Claimed the case.", now);
            return null;
        }, cancellationToken);
    }

    public async Task<(TheftCase? Case, Refusal? Refusal)> HandOverAsync(string operatorId, string id, HandOverRequest request, CancellationToken cancellationToken)
    {
        if (NoteTooLong(request.Note) is { } tooLong)
        {
            return (null, tooLong);
        }
        if (request.ToOperatorId is { } to && (await accounts.FindAsync(to, cancellationToken))?.Role != Roles.SocOperator)
        {
            return (null, Refusal.Invalid("toOperatorId", "Not the account of a SOC operator."));
        }
        return await ActAsync(id, new Actor(operatorId, Roles.SocOperator), requireClaim: true, async (c, t, k, now) =>
        {
            await TheftCaseStore.AssignAsync(c, t, id, operatorId, request.ToOperatorId);
            await TheftCaseStore.AuditAsync(c, t, id, new Actor(operatorId, Roles.SocOperator), "handed_over_to_operator",
                (request.ToOperatorId is null ? "Put the case back in the queue." : "Handed the case to another operator.") +
                (string.IsNullOrWhiteSpace(request.Note) ? "" : $" Note: {request.Note.Trim()}"), now, subject: request.ToOperatorId);
            return null;
        }, cancellationToken);
    }

    public async Task<(TheftCase? Case, Refusal? Refusal)> AnnotateAsync(string operatorId, string id, string? note, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(note) || note.Length > MaxNoteLength)
        {
            return (null, Refusal.Invalid("note", "1 to {0} characters.", MaxNoteLength));
        }
        return await ActAsync(id, new Actor(operatorId, Roles.SocOperator), requireClaim: false, async (c, t, k, now) =>
        {
            await TheftCaseStore.AuditAsync(c, t, id, new Actor(operatorId, Roles.SocOperator), "note", note.Trim(), now);
            return null;
        }, cancellationToken, allowClosed: true);
    }

    public async Task<(TheftCase? Case, Refusal? Refusal)> ContactAsync(string operatorId, string id, ContactAttemptRequest request, CancellationToken cancellationToken)
    {
        if (request.Outcome is null || !ContactOutcomes.All.Contains(request.Outcome))
        {
            return (null, Refusal.Invalid("outcome", "One of: {0}.", string.Join(", ", ContactOutcomes.All)));
        }
        if (NoteTooLong(request.Note) is { } tooLong)
        {
            return (null, tooLong);
        }
        if (await store.FindAsync(id, cancellationToken) is not { } found)
        {
            return (null, CaseNotFound);
        }
        if (await contacts.ForVehicleAsync(found.Vin, cancellationToken) is not { } contact)
        {
            return (null, NoCarSecurityDetails);
        }
        if (request.PhoneIndex is not { } index || index < 1 || index > contact.PhoneNumbers.Count)
        {
            return (null, Refusal.Invalid("phoneIndex", "A number from 1 to {0}.", contact.PhoneNumbers.Count));
        }
        var actor = new Actor(operatorId, Roles.SocOperator);
        return await ActAsync(id, actor, requireClaim: true, async (c, t, k, now) =>
        {
            // The numbers are called in order: number n only after number n − 1 (the first again after the last).
            var earlier = await TheftCaseStore.ContactsAsync(c, t, id);
            var next = NextPhone(earlier, contact.PhoneNumbers.Count);
            if (index != next && !(earlier.Count > 0 && index == 1))
            {
                return Refusal.Worded(StatusCodes.Status409Conflict, CarSecurityErrorCodes.PhoneOutOfOrder, "Call the stored numbers in order: number {0} is next.", next);
            }
            await TheftCaseStore.AddContactAsync(c, t, id, new ContactAttempt(Guid.CreateVersion7(now).ToString(), now, operatorId, index, request.Outcome,
                string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim()));
            await TheftCaseStore.AuditAsync(c, t, id, actor, "contact_attempt", $"Called number {index}: {request.Outcome}.", now);
            return null;
        }, cancellationToken);
    }

    public async Task<(IdentityCheckResponse? Result, Refusal? Refusal)> IdentityCheckAsync(
        string operatorId, string id, string? answer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(answer) || answer.Length > 100)
        {
            return (null, Refusal.Invalid("answer", "The answer the caller gave, 1 to 100 characters."));
        }
        if (await store.FindAsync(id, cancellationToken) is not { } found)
        {
            return (null, CaseNotFound);
        }
        if (await contacts.ForVehicleAsync(found.Vin, cancellationToken) is not { } contact)
        {
            return (null, NoCarSecurityDetails);
        }
        var matches = contact.AnswerMatches(answer); // hashing is slow: outside the transaction
        var max = options.Value.IdentityCheckAttempts;
        IdentityCheckResponse? result = null;
        var actor = new Actor(operatorId, Roles.SocOperator);
        var (_, refusal) = await ActAsync(id, actor, requireClaim: true, async (c, t, k, now) =>
        {
            if (k.IdentityVerifiedAt is not null)
            {
                result = new IdentityCheckResponse(true, 0);
                return null;
            }
            if (!(await TheftCaseStore.ContactsAsync(c, t, id)).Any(a => a.Outcome == ContactOutcomes.Reached))
            {
                return new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.OwnerNotReached, "Reach the owner on one of the stored numbers first.");
            }
            if (await TheftCaseStore.TakeIdentityAttemptAsync(c, t, id, max) is not { } attempts)
            {
                return Refusal.Worded(StatusCodes.Status409Conflict, CarSecurityErrorCodes.IdentityCheckLocked, "The identity check failed {0} times and is locked for this case.", max);
            }
            if (matches)
            {
                await TheftCaseStore.VerifiedAsync(c, t, id, now);
            }
            result = new IdentityCheckResponse(matches, matches ? 0 : max - attempts);
            // The answer itself is never written anywhere.
            await TheftCaseStore.AuditAsync(c, t, id, actor, "identity_check",
                matches ? "The security answer matched." : $"The security answer did not match ({max - attempts} attempts left).", now);
            return null;
        }, cancellationToken);
        return refusal is null ? (result, null) : (null, refusal);
    }

    public async Task<(TheftCase? Case, Refusal? Refusal)> OutcomeAsync(string operatorId, string id, OutcomeRequest request, CancellationToken cancellationToken)
    {
        if (request.Outcome is null || !CaseOutcomes.All.Contains(request.Outcome))
        {
            return (null, Refusal.Invalid("outcome", "One of: {0}.", string.Join(", ", CaseOutcomes.All)));
        }
        if (NoteTooLong(request.Note) is { } tooLong)
        {
            return (null, tooLong);
        }
        if (request.Outcome == CaseOutcomes.TheftConfirmed)
        {
            if (string.IsNullOrWhiteSpace(request.Circumstances) || request.Circumstances.Length > 4000)
            {
                return (null, Refusal.Invalid("circumstances", "What happened, for the authority: 1 to {0} characters.", 4000));
            }
            if (request.AuthorityAccountId is null || (await accounts.FindAsync(request.AuthorityAccountId, cancellationToken))?.Role != Roles.Authority)
            {
                return (null, Refusal.Invalid("authorityAccountId", "The account of the responsible authority."));
            }
        }
        if (await store.FindAsync(id, cancellationToken) is not { } found)
        {
            return (null, CaseNotFound);
        }
        var actor = new Actor(operatorId, Roles.SocOperator);
        var note = string.IsNullOrWhiteSpace(request.Note) ? "" : $" Note: {request.Note.Trim()}";
        return await ActAsync(id, actor, requireClaim: true, async (c, t, k, now) =>
        {
            switch (request.Outcome)
            {
                case CaseOutcomes.FalseAlarm:
                    if (k.State != CaseStates.Open)
                    {
                        return new(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "The case was handed to the authority; it ends as recovered.");
                    }
                    if (k.IdentityVerifiedAt is null)
                    {
                        return IdentityFirst;
                    }
                    await TheftCaseStore.CloseAsync(c, t, id, CaseStates.Open, CaseOutcomes.FalseAlarm, now);
                    await ResetIntervalAsync(c, t, k.Vin, now);
                    await TheftCaseStore.AuditAsync(c, t, id, actor, "closed", "False alarm: the owner is with the car." + note, now);
                    await notifier.NotifyAsync(c, t, new Notification(k.Vin, TheftNotifications.TheftCaseClosed.Id,
                        NotificationText.Of(TheftNotifications.FalseAlarm), now, $"theft-closed:{id}"));
                    return null;
                case CaseOutcomes.TheftConfirmed:
                    if (k.State != CaseStates.Open)
                    {
                        return new(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "The case was handed to the authority already.");
                    }
                    if (k.IdentityVerifiedAt is null)
                    {
                        return IdentityFirst;
                    }
                    await TheftCaseStore.HandOverAsync(c, t, id, request.AuthorityAccountId!, request.Circumstances!.Trim(),
                        CaseUrgency.Of(k.Reason, CaseStates.HandedOver, k.LastSpeedMps, false), now);
                    await TheftCaseStore.AuditAsync(c, t, id, actor, "theft_confirmed",
                        "Theft confirmed by the owner; handed to the authority." + note, now, subject: request.AuthorityAccountId);
                    await notifier.NotifyAsync(c, t, new Notification(k.Vin, TheftNotifications.TheftConfirmed.Id,
                        NotificationText.Of(TheftNotifications.Confirmed), now, $"theft-confirmed:{id}"));
                    return null;
                default:
                    if (k.State != CaseStates.HandedOver)
                    {
                        return new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.CaseNotHandedOver, "Only a case handed to the authority ends as recovered.");
                    }
                    await TheftCaseStore.CloseAsync(c, t, id, CaseStates.HandedOver, CaseOutcomes.Recovered, now);
                    await ResetIntervalAsync(c, t, k.Vin, now);
                    await TheftCaseStore.AuditAsync(c, t, id, actor, "closed", "The car was recovered." + note, now);
                    await notifier.NotifyAsync(c, t, new Notification(k.Vin, TheftNotifications.TheftCaseClosed.Id,
                        NotificationText.Of(TheftNotifications.Recovered), now, $"theft-closed:{id}"));
                    return null;
            }
        }, cancellationToken, sendConfigurationTo: request.Outcome == CaseOutcomes.TheftConfirmed ? null : found.Vin);
    }

    private static readonly Refusal IdentityFirst =
        new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.IdentityNotVerified, "Check the owner's identity by the security answer first.");

    /// <summary>Raises or lowers how often the car tracks (E2); the car gets it in the same transaction.</summary>
    public async Task<(TheftCase? Case, Refusal? Refusal)> SetIntervalAsync(string operatorId, string id, int? seconds, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (seconds is not { } s || s < o.MinTrackingIntervalSeconds || s > o.MaxTrackingIntervalSeconds)
        {
            return (null, Refusal.Invalid("seconds", "{0} to {1} seconds.", o.MinTrackingIntervalSeconds, o.MaxTrackingIntervalSeconds));
        }
        if (await store.FindAsync(id, cancellationToken) is not { } found)
        {
            return (null, CaseNotFound);
        }
        var actor = new Actor(operatorId, Roles.SocOperator);
        return await ActAsync(id, actor, requireClaim: true, async (c, t, k, now) =>
        {
            var (suspended, _) = await TheftCaseStore.SettingsAsync(c, t, k.Vin);
            await TheftCaseStore.SaveSettingsAsync(c, t, k.Vin, suspended, s, now);
            await TheftCaseStore.AuditAsync(c, t, id, actor, "tracking_interval", $"Tracking interval set to {s} s.", now);
            return null;
        }, cancellationToken, sendConfigurationTo: found.Vin);
    }

    /// <summary>E5: a time-limited key that lets the SOC's map show the case's track, and nothing else.</summary>
    public async Task<(MapKeyResponse? Key, Refusal? Refusal)> MapKeyAsync(string operatorId, string id, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } k)
        {
            return (null, CaseNotFound);
        }
        if (k.IsClosed)
        {
            return (null, Closed);
        }
        var (key, expiresAt) = await keys.CreateAsync(k.Vin, operatorId, AccessKeys.SocMap, options.Value.MapKeyValidity, cancellationToken);
        await database.WriteAsync((c, t) => TheftCaseStore.AuditAsync(c, t, id, new Actor(operatorId, Roles.SocOperator), "map_key",
            $"Issued a map key valid until {expiresAt:O}.", time.GetUtcNow()), cancellationToken);
        return (new MapKeyResponse(key, expiresAt, $"/api/v1/access/theft-track?key={Uri.EscapeDataString(key)}"), null);
    }

    /// <summary>Records that an authority or operator took the report (who read which case's evidence, when).</summary>
    internal Task AuditReadAsync(string caseId, Actor actor, string what, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => TheftCaseStore.AuditAsync(c, t, caseId, actor, "report", $"Downloaded the report ({what}).", time.GetUtcNow()), cancellationToken);

    // ---- the one way a case changes ----

    private async Task<(TheftCase? Case, Refusal? Refusal)> ActAsync(
        string id, Actor actor, bool requireClaim, Func<DbConnection, DbTransaction, TheftCase, DateTimeOffset, Task<Refusal?>> change,
        CancellationToken cancellationToken, bool allowClosed = false, string? sendConfigurationTo = null)
    {
        Refusal? refusal = null;
        TheftCase? changed = null;
        async Task<bool> Work(DbConnection c, DbTransaction t)
        {
            changed = null;
            var now = time.GetUtcNow();
            if (await TheftCaseStore.FindAsync(c, t, id) is not { } k)
            {
                refusal = CaseNotFound;
                return false;
            }
            if (k.IsClosed && !allowClosed)
            {
                refusal = Closed;
                return false;
            }
            if (requireClaim && k.AssignedTo != actor.AccountId)
            {
                refusal = k.AssignedTo is null ? NotClaimed : ClaimedByAnother;
                return false;
            }
            refusal = await change(c, t, k, now);
            if (refusal is not null)
            {
                return false;
            }
            var after = (await TheftCaseStore.FindAsync(c, t, id))!;
            changed = after;
            Database.AfterCommit(t, () => feed.Publish(new SocEvent("soc.case_updated", CaseSummaryResponse.From(after), after.AuthorityAccountId)));
            return true;
        }
        // A refused change has written nothing, so its (empty) transaction may commit; only a done one sends the car its settings.
        if (sendConfigurationTo is not null)
        {
            await configuration.ChangeAsync(sendConfigurationTo, Work, CancellationToken.None);
        }
        else
        {
            await database.WriteAsync(Work, cancellationToken);
        }
        return refusal is not null ? (null, refusal) : (changed, null);
    }

    private async Task ResetIntervalAsync(DbConnection c, DbTransaction t, string vin, DateTimeOffset now)
    {
        var (suspended, interval) = await TheftCaseStore.SettingsAsync(c, t, vin);
        if (interval != 0)
        {
            await TheftCaseStore.SaveSettingsAsync(c, t, vin, suspended, 0, now);
        }
    }
}
