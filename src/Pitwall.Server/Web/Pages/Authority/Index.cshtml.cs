using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web.Pages.Authority;

/// <summary>
/// The authority's view (E3): the cases the security centre handed to this authority (no other case is listed or opens),
/// following the feed live, and tracking a car the authority has a report about, by VIN and registration number. The same
/// store and workflow as <c>/api/v1/authority</c>; in the user's language.
/// </summary>
internal sealed class AuthorityCasesModel(TheftCaseStore store, AuthorityTracking workflow, IStringLocalizer<PortalText> t) : PortalPage
{
    public IReadOnlyList<TheftCase> Cases { get; private set; } = [];

    /// <summary>Whether this account may start tracking (control_authority).</summary>
    public bool CanTrack => User.HasClaim(PitwallClaims.Scope, Scopes.ControlAuthority);

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string? Vin { get; set; }

    [BindProperty]
    public string? RegistrationNumber { get; set; }

    [BindProperty]
    public string? Reference { get; set; }

    [BindProperty]
    public string? Circumstances { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Cases = await store.ForAuthorityAsync(AccountId, cancellationToken);

    /// <summary>The same page for the live refresh, which takes only the panels out of it (and leaves the next page's
    /// message alone: <see cref="PanelRefreshTempData"/>).</summary>
    public async Task<IActionResult> OnGetPanelsAsync(CancellationToken cancellationToken)
    {
        await OnGetAsync(cancellationToken);
        return Page();
    }

    /// <summary>E3: starts tracking the car; the case is handed to this authority from the start.</summary>
    public async Task<IActionResult> OnPostTrackAsync(CancellationToken cancellationToken)
    {
        if (!CanTrack)
        {
            return Forbid();
        }
        var (opened, _, refusal) = await workflow.StartTrackingAsync(AccountId, new AuthorityTrackingRequest(Vin, RegistrationNumber, Reference, Circumstances),
            cancellationToken);
        if (refusal is null)
        {
            Message = t["Tracking requested: the car starts sending its positions when it is next online."];
            return Redirect($"/authority/cases/{Uri.EscapeDataString(opened!.Id)}");
        }
        ShowRefusal(refusal, t, key: "track-error");
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
