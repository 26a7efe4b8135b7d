using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>One car's software for administrators and support (F3): per update target what it runs — the installed release and the
/// components its latest signed manifest reports —, its attributes, every update with each step it reported, and the campaigns it is in
/// with their state. The same data as <c>GET /api/v1/admin/software/targets/{controllerId}</c>.</summary>
internal sealed class AdminVehicleSoftwareModel(VehicleAdministration vehicles, ISoftwareConsole console) : PortalPage
{
    public AdminVehicleDetail Detail { get; private set; } = null!;

    public IReadOnlyList<TargetSoftwareView> Targets { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (await vehicles.DetailAsync(vin, cancellationToken) is not { } detail)
        {
            return NotFound();
        }
        Detail = detail;
        Targets = await console.CarTargetsAsync(detail.Vehicle.Vin, cancellationToken);
        return Page();
    }

    /// <summary>A campaign's state or paused reason as the page names it (an English text key).</summary>
    public static string CampaignLabel(string state, string? pausedReason) => state switch
    {
        "paused" when pausedReason?.StartsWith("error_threshold", StringComparison.Ordinal) == true => "Paused: too many installations failed",
        "paused" => "Paused: by an administrator",
        "running" => "Running",
        "finished" => "Finished",
        "canceled" => "Campaign cancelled",
        _ => state,
    };
}
