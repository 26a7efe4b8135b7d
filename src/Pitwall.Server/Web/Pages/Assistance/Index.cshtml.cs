using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.Breakdown;

namespace Pitwall.Server.Web.Pages.Assistance;

/// <summary>
/// The assistance centre's live queue (F2): emergency calls first, then breakdown calls by waiting time, each claimable; the
/// latest closed calls. It follows the assistance feed live (assistance-queue.js re-reads the panels). The same console as
/// <c>/api/v1/assistance/cases</c>, for the assistance_agent role only (English only, as the consoles are).
/// </summary>
internal sealed class AssistanceQueueModel(IAssistanceConsole console) : PortalPage
{
    public IReadOnlyList<QueueEntryResponse> Queue { get; private set; } = [];

    public IReadOnlyList<QueueEntryResponse> Closed { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>The same page for the live refresh, which takes only the panels out of it.</summary>
    public async Task<IActionResult> OnGetPanelsAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostClaimAsync(string? id, CancellationToken cancellationToken)
    {
        var (claimed, refusal) = await console.ClaimAsync(AccountId, id ?? "", cancellationToken);
        if (refusal is null)
        {
            Message = "You hold the case now.";
            return Redirect($"/assistance/cases/{Uri.EscapeDataString(claimed!.Id)}");
        }
        ShowRefusal(refusal);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Queue = await console.QueueAsync(AccountId, false, 200, cancellationToken);
        Closed = await console.QueueAsync(AccountId, true, 20, cancellationToken);
    }

    public static string Waiting(long seconds) => seconds < 60 ? $"{seconds} s" : seconds < 3600 ? $"{seconds / 60} min" : $"{seconds / 3600} h {seconds % 3600 / 60} min";

    public static string State(string state) => state.Replace('_', ' ');
}
