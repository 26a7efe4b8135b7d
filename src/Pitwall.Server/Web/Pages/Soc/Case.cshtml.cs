using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web.Pages.Soc;

/// <summary>One entry of a case's timeline: a tracking message of the car or an entry of the audit log.</summary>
internal sealed record TimelineEntry(DateTimeOffset At, string Kind, string What, string Detail, string? By, long? Seq, string? Action)
{
    public static TimelineEntry Of(TrackingPoint p, IStringLocalizer t) =>
        new(p.RecordedAt, "tracking", t[ConsoleFormat.Phase(p.Phase)], ConsoleFormat.Details(p, t), t["car"], p.Seq, null);
}

/// <summary>
/// A case in the security centre's console: the car and its live track on a map, the timeline (tracking messages and the
/// audit log), the owner's numbers with the contact log ("call next number" and the outcome of each call), the identity
/// check (the answer the operator typed is compared, never shown or kept; only match or no match comes back, attempts are
/// limited), notes, hand-over, the tracking interval, the outcome (false alarm, theft confirmed → an authority, recovered)
/// and the authority report. Every action goes through <see cref="SocWorkflow"/> exactly as the API's; a refusal is shown
/// next to the form it concerns. In the operator's language (the portal's texts; CarSecurityText.de/fr.resx).
/// </summary>
internal sealed class SocCaseModel(SocWorkflow workflow, TheftCaseStore store, AccountStore accounts, IStringLocalizer<PortalText> t) : PortalPage
{
    /// <summary>How many tracking messages the timeline lists (the map draws the whole track).</summary>
    public const int TimelineMessages = 100;

    /// <summary>How many positions the map gets with the page; later ones arrive live.</summary>
    public const int MapPositions = 5000;

    public CaseResponse Detail { get; private set; } = null!;

    public CaseSummaryResponse Summary => Detail.Case;

    public string Id => Summary.Id;

    public IReadOnlyList<TrackingPoint> Track { get; private set; } = [];

    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    public ContactLogResponse Contacts { get; private set; } = new([], null);

    public IReadOnlyList<(string Id, string Email, string Name)> Authorities { get; private set; } = [];

    public IReadOnlyList<(string Id, string Email, string Name)> Operators { get; private set; } = [];

    public bool Mine => Summary.AssignedTo == AccountId;

    public bool IsClosed => Summary.State == CaseStates.Closed;

    [TempData]
    public string? Message { get; set; }

    /// <summary>The last identity check's result: "match" or "no match (n attempts left)"; never the answer.</summary>
    [TempData]
    public string? IdentityResult { get; set; }

    /// <summary>E5: the address of a map key just issued, for the SOC's map system; shown once.</summary>
    [TempData]
    public string? MapKeyUrl { get; set; }

    [TempData]
    public string? MapKeyExpires { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? HandOverTo { get; set; }

    [BindProperty]
    public string? HandOverNote { get; set; }

    [BindProperty]
    public int? PhoneIndex { get; set; }

    [BindProperty]
    public string? CallOutcome { get; set; }

    [BindProperty]
    public string? CallNote { get; set; }

    [BindProperty]
    public string? Answer { get; set; }

    [BindProperty]
    public string? Outcome { get; set; }

    [BindProperty]
    public string? AuthorityAccountId { get; set; }

    [BindProperty]
    public string? Circumstances { get; set; }

    [BindProperty]
    public string? OutcomeNote { get; set; }

    [BindProperty]
    public int? IntervalSeconds { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    /// <summary>The same page for the live refresh, which takes only the panels out of it (and leaves the next page's
    /// message alone: <see cref="PanelRefreshTempData"/>).</summary>
    public Task<IActionResult> OnGetPanelsAsync(string id, CancellationToken cancellationToken)
    {
        return OnGetAsync(id, cancellationToken);
    }

    public Task<IActionResult> OnPostClaimAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, "claim-error", _ => null, () => workflow.ClaimAsync(AccountId, id, cancellationToken), t["You hold the case now."], cancellationToken);

    public Task<IActionResult> OnPostHandOverAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, "handover-error", f => f == "note" ? nameof(HandOverNote) : nameof(HandOverTo),
            () => workflow.HandOverAsync(AccountId, id, new HandOverRequest(string.IsNullOrEmpty(HandOverTo) ? null : HandOverTo, HandOverNote), cancellationToken),
            string.IsNullOrEmpty(HandOverTo) ? t["The case is back in the queue."] : t["The case was handed over."], cancellationToken, back: "/soc");

    public Task<IActionResult> OnPostNoteAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, "note-error", _ => nameof(Note), () => workflow.AnnotateAsync(AccountId, id, Note, cancellationToken), t["Note added."], cancellationToken);

    public Task<IActionResult> OnPostContactAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, "contact-error", f => f switch { "phoneIndex" => nameof(PhoneIndex), "note" => nameof(CallNote), _ => nameof(CallOutcome) },
            () => workflow.ContactAsync(AccountId, id, new ContactAttemptRequest(PhoneIndex, CallOutcome, CallNote), cancellationToken),
            t["Call to number {0} logged: {1}.", PhoneIndex ?? 0, t[ConsoleFormat.ContactOutcome(CallOutcome ?? "")]], cancellationToken);

    public async Task<IActionResult> OnPostIdentityAsync(string id, CancellationToken cancellationToken)
    {
        var (result, refusal) = await workflow.IdentityCheckAsync(AccountId, id, Answer, cancellationToken);
        Answer = null; // never sent back to the browser
        ModelState.Remove(nameof(Answer));
        if (refusal is null)
        {
            IdentityResult = result!.Verified ? "match" : result.AttemptsLeft.ToString(CultureInfo.InvariantCulture);
            return Redirect(Here(id) + "#identity-title");
        }
        return await RefusedAsync(id, refusal, "identity-error", _ => nameof(Answer), cancellationToken);
    }

    public Task<IActionResult> OnPostOutcomeAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, "outcome-error", f => f switch
            {
                "authorityAccountId" => nameof(AuthorityAccountId),
                "circumstances" => nameof(Circumstances),
                "note" => nameof(OutcomeNote),
                _ => nameof(Outcome),
            },
            () => workflow.OutcomeAsync(AccountId, id, new OutcomeRequest(Outcome, Outcome == CaseOutcomes.TheftConfirmed ? AuthorityAccountId : null,
                Outcome == CaseOutcomes.TheftConfirmed ? Circumstances : null, OutcomeNote), cancellationToken),
            Outcome switch
            {
                CaseOutcomes.FalseAlarm => t["Closed as a false alarm."],
                CaseOutcomes.TheftConfirmed => t["Theft confirmed: the case was handed to the authority."],
                _ => t["Closed: the car was recovered."],
            }, cancellationToken);

    /// <summary>E5: a time-limited key with which the SOC's map system fetches the case's track (the API's <c>POST …/map-key</c>).</summary>
    public async Task<IActionResult> OnPostMapKeyAsync(string id, CancellationToken cancellationToken)
    {
        var (key, refusal) = await workflow.MapKeyAsync(AccountId, id, cancellationToken);
        if (refusal is not null)
        {
            return await RefusedAsync(id, refusal, "map-key-error", _ => null, cancellationToken);
        }
        MapKeyUrl = $"{Request.Scheme}://{Request.Host}{key!.Url}";
        MapKeyExpires = ConsoleFormat.When(key.ExpiresAt);
        return Redirect(Here(id) + "#map-title");
    }

    public Task<IActionResult> OnPostIntervalAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, "interval-error", _ => nameof(IntervalSeconds), () => workflow.SetIntervalAsync(AccountId, id, IntervalSeconds, cancellationToken),
            t["Tracking interval set to {0} s; the car gets it with its next connection.", IntervalSeconds ?? 0], cancellationToken);

    /// <summary>Runs one workflow action: done → back to the case (or <paramref name="back"/>) with a message; refused → the
    /// page again with the reason next to the form's fields, or in the form's own error line.</summary>
    private async Task<IActionResult> ActAsync(
        string id, string formError, Func<string, string?> fieldOf, Func<Task<(TheftCase? Case, Refusal? Refusal)>> act, string done,
        CancellationToken cancellationToken, string? back = null)
    {
        var (_, refusal) = await act();
        if (refusal is null)
        {
            Message = done;
            return Redirect(back ?? Here(id));
        }
        return await RefusedAsync(id, refusal, formError, fieldOf, cancellationToken);
    }

    private async Task<IActionResult> RefusedAsync(string id, Refusal refusal, string formError, Func<string, string?> fieldOf, CancellationToken cancellationToken)
    {
        if (refusal == SocWorkflow.CaseNotFound)
        {
            return NotFound();
        }
        ShowRefusal(refusal, t, field => fieldOf(field) ?? formError, formError);
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private static string Here(string id) => $"/soc/cases/{Uri.EscapeDataString(id)}";

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var (found, _) = await workflow.CaseAsync(id, cancellationToken);
        if (found is null)
        {
            return false;
        }
        Detail = found;
        Circumstances ??= found.Circumstances; // the owner's description of the theft, for the operator to hand on or complete
        Track = await store.TrackAsync(id, 0, MapPositions, cancellationToken);
        Contacts = await workflow.ContactLogAsync(id, found.Contact?.PhoneNumbers.Count ?? 0, cancellationToken);
        Authorities = await accounts.WithRoleAsync(Roles.Authority, 500, cancellationToken);
        Operators = await accounts.WithRoleAsync(Roles.SocOperator, 500, cancellationToken);
        var audit = await store.AuditAsync(id, cancellationToken);
        // Newest first; what happened at the same instant, in reverse of the order it was kept in (the car's, the log's).
        Timeline = [.. Track.TakeLast(TimelineMessages).Select(p => TimelineEntry.Of(p, t))
            .Concat(audit.Select(e => new TimelineEntry(e.At, "audit", t[CaseWording.Action(e.Action)],
                e.SubjectAccountId is { } subject ? $"{e.Detail} → {NameOf(subject)}" : e.Detail, By(e.ActorAccountId, e.ActorRole), null, e.Action)))
            .Select((e, i) => (Entry: e, Order: i)).OrderByDescending(x => x.Entry.At).ThenByDescending(x => x.Order).Select(x => x.Entry)];
        PhoneIndex ??= Contacts.NextPhoneIndex;
        IntervalSeconds ??= Detail.TrackingIntervalSeconds > 0 ? Detail.TrackingIntervalSeconds : null;
        return true;
    }

    /// <summary>Who did something: a name for staff, else the role.</summary>
    public string By(string? accountId, string role)
    {
        if (accountId is null)
        {
            return t[CaseWording.ByRole(role)];
        }
        if (accountId == AccountId)
        {
            return t["you"];
        }
        var staff = Operators.Concat(Authorities).FirstOrDefault(a => a.Id == accountId);
        return staff.Id is null ? t[CaseWording.ByRole(role)] : $"{staff.Name} ({t[CaseWording.ByRole(role)]})";
    }

    public string NameOf(string? accountId) =>
        accountId is null ? t["nobody"] : accountId == AccountId ? t["you"]
        : Operators.Concat(Authorities).FirstOrDefault(a => a.Id == accountId) is { Id: not null } a ? a.Name : t["another account"];
}
