using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Web.Pages.Soc;

namespace Pitwall.Server.Web.Pages.Authority;

/// <summary>
/// A case handed to this authority, read-only and live (E3): the car, the circumstances, the track on a map with positions
/// appended as they arrive, the tracking messages, and the report (GPX, GeoJSON, printable summary). No owner's numbers,
/// no security question; another authority's case is a 404, as in the API. In the user's language, in the same words as the
/// security centre's case page.
/// </summary>
internal sealed class AuthorityCaseModel(CaseReports reports, TheftCaseStore store, AuthorityTracking tracking, IStringLocalizer<PortalText> t) : PortalPage
{
    public TheftCase Case { get; private set; } = null!;

    public VehicleDescription? Vehicle { get; private set; }

    public IReadOnlyList<TrackingPoint> Track { get; private set; } = [];

    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string? Reference { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var (k, vehicle) = await reports.FindAsync(id, AccountId, cancellationToken);
        if (k is null)
        {
            return NotFound();
        }
        (Case, Vehicle) = (k, vehicle);
        Reference ??= k.AuthorityReference;
        Track = await store.TrackAsync(k.Id, 0, SocCaseModel.MapPositions, cancellationToken);
        Timeline = [.. Track.TakeLast(SocCaseModel.TimelineMessages).Reverse().Select(p => TimelineEntry.Of(p, t))];
        return Page();
    }

    /// <summary>The same page for the live refresh, which takes only the panels out of it (and leaves the next page's
    /// message alone: <see cref="PanelRefreshTempData"/>).</summary>
    public Task<IActionResult> OnGetPanelsAsync(string id, CancellationToken cancellationToken)
    {
        return OnGetAsync(id, cancellationToken);
    }

    /// <summary>Notes the authority's own file number on the case.</summary>
    public async Task<IActionResult> OnPostReferenceAsync(string id, CancellationToken cancellationToken)
    {
        var (changed, refusal) = await tracking.SetReferenceAsync(AccountId, id, Reference, cancellationToken);
        if (changed is not null)
        {
            Message = t["Your file number is noted."];
            return Redirect($"/authority/cases/{Uri.EscapeDataString(id)}");
        }
        ShowRefusal(refusal!, t, _ => nameof(Reference));
        return await OnGetAsync(id, cancellationToken);
    }
}
