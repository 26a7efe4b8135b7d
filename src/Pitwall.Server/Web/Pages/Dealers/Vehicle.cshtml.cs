using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.Dealers;
using Pitwall.Server.Features.SmartService;

namespace Pitwall.Server.Web.Pages.Dealers;

/// <summary>
/// A car's transmitted data in the dealer console (F1): the latest service log, the component health with the predicted
/// maintenance and the fault memory, by VIN — only for a car whose owner chose this dealer or has an open appointment with it
/// (any other VIN is 404); each kind read is logged for the owner first.
/// </summary>
internal sealed class DealerVehicleModel(IDealerConsole console) : PortalPage
{
    public string Vin { get; private set; } = "";

    /// <summary>Null while the car has sent no service log.</summary>
    public CarHealthSummary? Health { get; private set; }

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (await console.ReadAllAsync(AccountId, vin, cancellationToken) is not { } data)
        {
            return NotFound();
        }
        (Vin, Health) = (data.Vin, data.Health);
        return Page();
    }

    public static string Name(string component) => ComponentNames.Of(component);

    public static string State(string state) => ComponentNames.StateText(state);
}
