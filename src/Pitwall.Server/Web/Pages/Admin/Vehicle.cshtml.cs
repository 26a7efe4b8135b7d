using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>One car as support needs it: registration, who paired it, its link, the software it reported, its packages.</summary>
internal sealed class AdminVehicleModel(VehicleAdministration administration, ContractStore contracts, PackageStore packages) : PortalPage
{
    private Dictionary<string, string> _names = [];

    public AdminVehicleDetail Detail { get; private set; } = null!;

    public IReadOnlyList<ContractRecord> Contracts { get; private set; } = [];

    public string NameOf(string packageId) => _names.GetValueOrDefault(packageId, packageId);

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (await administration.DetailAsync(vin, cancellationToken) is not { } detail)
        {
            return NotFound();
        }
        Detail = detail;
        Contracts = await contracts.ForVehicleAsync(vin, cancellationToken);
        _names = (await packages.ListAsync(cancellationToken)).ToDictionary(p => p.Id, p => p.Name);
        return Page();
    }
}
