using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web.Pages.Soc;

/// <summary>
/// The security centre's queue (E3): the cases not closed, most urgent first, each claimable; the latest closed cases; the
/// cars whose monthly health check is overdue (E4). It follows the SOC feed live (soc-queue.js re-reads the panels). The
/// same store and workflow as <c>/api/v1/soc/cases</c>, for the soc_operator role only; in the operator's language.
/// </summary>
internal sealed class SocQueueModel(TheftCaseStore store, SocWorkflow workflow, AccountStore accounts, IStringLocalizer<PortalText> t) : ConsoleQueuePage
{
    protected override IStringLocalizer Texts => t;

    public IReadOnlyList<TheftCase> Queue { get; private set; } = [];

    public IReadOnlyList<TheftCase> Closed { get; private set; } = [];

    public IReadOnlyList<HealthCheckState> MissedHealthChecks { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Operators { get; private set; } = new Dictionary<string, string>();

    /// <summary>Finds cases by a fragment of the VIN or of the case id (any case).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>all, unassigned, mine or theft_mode.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Show { get; set; }

    /// <summary>Open cases before the search and filter.</summary>
    public int OpenCount { get; private set; }

    protected override async Task<(string? Id, Refusal? Refusal)> ClaimAsync(string id, CancellationToken cancellationToken)
    {
        var (claimed, refusal) = await workflow.ClaimAsync(AccountId, id, cancellationToken);
        return (claimed?.Id, refusal);
    }

    protected override string CasePath(string id) => $"/soc/cases/{Uri.EscapeDataString(id)}";

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var queue = await store.QueueAsync(false, 200, cancellationToken);
        OpenCount = queue.Count;
        var text = Q?.Trim();
        Queue = [.. queue.Where(k => (string.IsNullOrEmpty(text) || k.Vin.Contains(text, StringComparison.OrdinalIgnoreCase)
                || k.Id.Contains(text, StringComparison.OrdinalIgnoreCase))
            && Show switch
            {
                "unassigned" => k.AssignedTo is null,
                "mine" => k.AssignedTo == AccountId,
                "theft_mode" => k.InTheftMode,
                _ => true,
            })];
        Closed = await store.QueueAsync(true, 20, cancellationToken);
        MissedHealthChecks = await store.MissedHealthChecksAsync(100, cancellationToken);
        Operators = (await accounts.WithRoleAsync(Roles.SocOperator, 1000, cancellationToken)).ToDictionary(a => a.Id, a => a.Name);
    }

    /// <summary>Who holds a case, as the operator reads it.</summary>
    public string Holder(string? accountId) =>
        accountId is null ? t["nobody"] : accountId == AccountId ? t["you"] : Operators.TryGetValue(accountId, out var name) ? name : t["another operator"];
}
