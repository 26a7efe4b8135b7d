using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web;

/// <summary>
/// A console's live queue page (the security centre's <c>/soc</c>, the assistance centre's <c>/assistance</c>): the page, the same
/// page for the live refresh (its script takes only the panels out of it; <see cref="PanelRefreshTempData"/> leaves the next page's
/// message alone), and claiming a case, which opens it — or, refused, shows why on the queue.
/// </summary>
internal abstract class ConsoleQueuePage : PortalPage
{
    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetPanelsAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Takes the case (unless someone else holds it) and opens it.</summary>
    public async Task<IActionResult> OnPostClaimAsync(string? id, CancellationToken cancellationToken)
    {
        var (claimedId, refusal) = await ClaimAsync(id ?? "", cancellationToken);
        if (refusal is null)
        {
            Message = Texts?["You hold the case now."] ?? "You hold the case now.";
            return Redirect(CasePath(claimedId!));
        }
        ShowRefusal(refusal, Texts);
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>The portal's texts for a console in the user's language; null for one in English only.</summary>
    protected virtual IStringLocalizer? Texts => null;

    /// <summary>Reads the queue's panels.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <returns>The claimed case's id, or why not.</returns>
    protected abstract Task<(string? Id, Refusal? Refusal)> ClaimAsync(string id, CancellationToken cancellationToken);

    /// <summary>The case's page.</summary>
    protected abstract string CasePath(string id);
}
