using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Privacy.Processors;
using Pitwall.Server.Features.UsageStatistics;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>
/// The data-protection view for administrators: the anonymised usage report (C8: uses per service, channel and day, no
/// VIN, no account — the API's <c>GET /api/v1/admin/usage-statistics</c>) and what each retention run removed (counts
/// per category — <c>GET /api/v1/admin/retention-runs</c>), and what the processor gateway kept from providers since the
/// instance started (P4 — <c>GET /api/v1/admin/processor-gateway</c>).
/// </summary>
internal sealed class AdminPrivacyModel(
    UsageStatistics statistics, RetentionSweeper sweeper, ProcessorGateway gateway, TimeProvider time, IStringLocalizer<PortalText> t) : PortalPage
{
    public const int Runs = 20;

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public DateOnly FromDay { get; private set; }

    public DateOnly ToDay { get; private set; }

    public IReadOnlyList<UsageRow> Usage { get; private set; } = [];

    /// <summary>Uses per service and channel over the whole range, most used first.</summary>
    public IReadOnlyList<(string Service, string Channel, long Count)> Totals { get; private set; } = [];

    public IReadOnlyList<RetentionRunResponse> RetentionRuns { get; private set; } = [];

    public IReadOnlyList<StripCount> Stripped { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        (FromDay, ToDay) = ReportRange.Parse(From, To, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), errors);
        if (errors.Any)
        {
            AddErrors(errors, t, field => field == "from" ? nameof(From) : nameof(To));
        }
        else
        {
            await statistics.FlushAsync(cancellationToken);
            Usage = await statistics.ReportAsync(FromDay, ToDay, cancellationToken);
            Totals = [.. Usage.GroupBy(u => (u.Service, u.Channel)).Select(g => (g.Key.Service, g.Key.Channel, g.Sum(u => u.Count)))
                .OrderByDescending(x => x.Item3).ThenBy(x => x.Service, StringComparer.Ordinal).ThenBy(x => x.Channel, StringComparer.Ordinal)];
        }
        RetentionRuns = await sweeper.RunsAsync(Runs, cancellationToken);
        Stripped = gateway.Stripped();
    }
}
