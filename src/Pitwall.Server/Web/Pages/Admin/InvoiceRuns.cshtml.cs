using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Charging.Invoices;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>The monthly charging invoice runs (G2): each invoiced month of the last two years with its invoices, total, payments and
/// credit notes, and a run of a month that is over by hand (the same as <c>POST /api/v1/admin/charging/invoice-runs</c>; running a
/// month again issues only what is missing).</summary>
internal sealed class AdminInvoiceRunsModel(IInvoiceRuns runs, IStringLocalizer<PortalText> t) : PortalPage
{
    public IReadOnlyList<InvoiceRunSummary> Months { get; private set; } = [];

    public string LastClosed => runs.LastClosedPeriod;

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string? Period { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Period ??= LastClosed;
        Months = await runs.RecentAsync(24, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (result, refusal) = await runs.RunAsync(string.IsNullOrWhiteSpace(Period) ? null : Period.Trim(), cancellationToken);
        if (result is null)
        {
            ShowRefusal(refusal!, t);
            Months = await runs.RecentAsync(24, cancellationToken);
            return Page();
        }
        Message = t["{0}: {1} invoices issued, {2} payments collected, {3} declined.", result.Period, result.Issued, result.Collected, result.Declined];
        return RedirectToPage();
    }
}
