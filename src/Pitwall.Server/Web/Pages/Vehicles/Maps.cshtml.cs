using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.MapUpdates;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// The car's navigation map (F5, H3) for its users: per region the version the car has and the newest one, the region's extent on a
/// map drawn from Pitwall's own tiles, whether the car asks for map updates (or why not: private mode, the service switched off in
/// the car, not in its packages), and every documented map update — offered, installed or failed, with its size. The same service as
/// <c>/api/v1/vehicles/{vin}/maps</c>.
/// </summary>
internal sealed class MapsModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, ICarMaps maps) : VehiclePage(vehicles, issuer, t)
{
    public CarMapsResponse? State { get; private set; }

    /// <summary>active, privacy_mode or service_disabled: whether the car's switches let it ask for map updates, as it last said.</summary>
    public string ServiceState { get; private set; } = "active";

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (await UseAsync(ServiceIds.MapUpdate, ServiceUse.Read, count: true, cancellationToken) is null)
        {
            State = await maps.StateAsync(Vin, AccessSince, cancellationToken);
            // The car's switches as it last reported them: a read is never refused by them, so ask the gate as a change would be.
            ServiceState = await UseAsync(ServiceIds.MapUpdate, ServiceUse.Change, count: false, cancellationToken) is { } refusal ? refusal.Code : "active";
        }
        return Page();
    }

    /// <summary>What the page says about the service's state (an English text key).</summary>
    public static string StateText(string state) => state switch
    {
        ErrorCodes.PrivacyMode => "The car is in private mode: it does not ask for map updates and Pitwall documents none.",
        ErrorCodes.ServiceDisabled => "Map update (or the services without location) is switched off in the car: it does not ask for new map data.",
        _ => "Active: the car asks at every start whether newer map data exists for its region.",
    };

    /// <summary>A delivery's result as the car's users read it (an English text key).</summary>
    public static string ResultText(string result) => result switch
    {
        "installed" => "Installed by the car",
        "failed" => "Failed in the car",
        _ => "Offered; the car has not reported yet",
    };

    /// <summary>A package size in the page's number format: bytes, kB or MB (decimal).</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1_000 => bytes.ToString("#,0", PortalTime.Numbers) + " B",
        < 1_000_000 => (bytes / 1_000d).ToString("#,0.0", PortalTime.Numbers) + " kB",
        _ => (bytes / 1_000_000d).ToString("#,0.0", PortalTime.Numbers) + " MB",
    };

    /// <summary>A region's extent for the map script (west,south,east,north; invariant numbers).</summary>
    public static string Extent(IReadOnlyList<double> bbox) => string.Join(",", bbox.Select(v => v.ToString("0.######", CultureInfo.InvariantCulture)));
}
