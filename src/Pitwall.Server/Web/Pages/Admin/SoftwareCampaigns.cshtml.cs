using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>Software update campaigns (F3): start one (a distribution set for a model's cars or a list of targets, in waves, with
/// an error threshold), watch each wave's progress, pause, resume or cancel it. The same services as
/// <c>/api/v1/admin/software/campaigns</c>.</summary>
internal sealed class AdminSoftwareCampaignsModel(ISoftwareConsole console, IStringLocalizer<PortalText> t) : PortalPage
{
    public IReadOnlyList<CampaignView> Campaigns { get; private set; } = [];

    public IReadOnlyList<SetView> Sets { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostStartAsync(
        string? name, string? setId, string? type, string? model, string? targets, string? waves, int? errorThreshold, string? windowStart, string? windowEnd,
        string? windowZone, CancellationToken cancellationToken)
    {
        var list = targets?.Split([',', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var steps = waves?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => int.TryParse(w.TrimEnd('%'), out var p) ? p : -1).ToList();
        var request = new CampaignCreateRequest(name, setId, type, list is { Length: > 0 } ? list : null,
            list is { Length: > 0 } ? null : new CampaignFilter(string.IsNullOrWhiteSpace(model) ? null : model, null, null, null), steps, errorThreshold,
            string.IsNullOrWhiteSpace(windowStart) && string.IsNullOrWhiteSpace(windowEnd) ? null
            : new MaintenanceWindow(windowStart, windowEnd, string.IsNullOrWhiteSpace(windowZone) ? null : windowZone.Trim()));
        return await AfterAsync((await console.StartCampaignAsync(request, cancellationToken)).Refusal, t["Campaign {0} started.", name ?? ""], cancellationToken);
    }

    public async Task<IActionResult> OnPostPauseAsync(string id, CancellationToken cancellationToken) =>
        await AfterAsync(await console.PauseAsync(id, cancellationToken), t["Campaign paused."], cancellationToken);

    public async Task<IActionResult> OnPostResumeAsync(string id, CancellationToken cancellationToken) =>
        await AfterAsync(await console.ResumeAsync(id, cancellationToken), t["Campaign resumed."], cancellationToken);

    public async Task<IActionResult> OnPostCancelAsync(string id, CancellationToken cancellationToken) =>
        await AfterAsync(await console.CancelAsync(id, cancellationToken), t["Campaign cancelled; its open updates are being withdrawn."], cancellationToken);

    private async Task<IActionResult> AfterAsync(Refusal? refusal, string done, CancellationToken cancellationToken)
    {
        if (refusal is null)
        {
            Message = done;
            return Redirect("/admin/software/campaigns");
        }
        ShowRefusal(refusal, t, field => field);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Campaigns = await console.CampaignsAsync(cancellationToken);
        Sets = (await console.CatalogueAsync(cancellationToken)).Sets;
    }

    /// <summary>A campaign's state or pause reason as the administrator reads it (an English text key).</summary>
    public static string Label(string code) => code switch
    {
        "running" => "Running",
        "paused" => "Paused",
        "finished" => "Finished",
        "canceled" => "Campaign cancelled",
        "paused_by_administrator" => "paused by an administrator",
        _ => "too many installations failed",
    };

    /// <summary>The wave's bar: finished, failed, cancelled, refused and open targets as shares of the wave's targets (x and width
    /// in 0–100), in that order.</summary>
    public static IReadOnlyList<(string Part, double X, double Width)> Bar(WaveView wave)
    {
        var parts = new[] { ("finished", wave.Finished), ("failed", wave.Failed), ("canceled", wave.Canceled), ("refused", wave.Refused), ("open", wave.Open) };
        var bars = new List<(string, double, double)>();
        var x = 0.0;
        foreach (var (part, count) in parts.Where(p => p.Item2 > 0))
        {
            var width = wave.Targets == 0 ? 0 : 100.0 * count / wave.Targets;
            bars.Add((part, x, width));
            x += width;
        }
        return bars;
    }
}
