using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>My vehicles, and pairing a new one with the code the car shows (REQUIREMENTS A3).</summary>
internal sealed class VehiclesModel(VehicleStore store, IVehicleLink link, PairingService pairing, ITheftStatus theft, IStringLocalizer<PortalText> t)
    : PortalPage
{
    /// <param name="Stolen">In theft mode or with an open theft case.</param>
    public sealed record Row(string Vin, string Model, int ModelYear, string Role, bool Online, bool Stolen);

    public IReadOnlyList<Row> Vehicles { get; private set; } = [];

    [BindProperty]
    public string? PairVin { get; set; }

    [BindProperty]
    public string? PairingId { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostStartPairingAsync(CancellationToken cancellationToken)
    {
        var vin = PairVin is null ? null : Vin.Normalize(PairVin);
        if (!Vin.IsValid(vin))
        {
            ModelState.AddModelError(nameof(PairVin), t["A VIN is 17 characters: digits and letters except I, O and Q."]);
        }
        else if (await pairing.StartAsync(AccountId, vin!, cancellationToken) is { } started)
        {
            (PairingId, PairVin) = (started.Id, started.Vin);
            ModelState.Clear();
        }
        else
        {
            ModelState.AddModelError(nameof(PairVin), t["No vehicle with this VIN is registered."]);
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmPairingAsync(CancellationToken cancellationToken)
    {
        var outcome = PairingId is null ? PairingService.Outcome.NotFound : await pairing.ConfirmAsync(AccountId, PairingId, Code?.Trim() ?? "", cancellationToken);
        if (outcome == PairingService.Outcome.Paired)
        {
            return Redirect($"/vehicles/{await pairing.VinOfAsync(AccountId, PairingId!, cancellationToken)}");
        }
        ModelState.AddModelError(nameof(Code), t[outcome switch
        {
            PairingService.Outcome.WrongCode => "The code does not match the one shown in the car.",
            PairingService.Outcome.AlreadyPaired => "The vehicle is paired with another account; that account unpairs it first.",
            _ => "The pairing expired or was used up; start again.",
        }]);
        if (outcome is not PairingService.Outcome.WrongCode)
        {
            PairingId = null;
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        var vehicles = await store.ListForAsync(AccountId, null, cancellationToken);
        var online = await link.OnlineAsync([.. vehicles.Select(v => v.Vehicle.Vin)], cancellationToken);
        foreach (var (vehicle, role) in vehicles)
        {
            rows.Add(new Row(vehicle.Vin, vehicle.Model, vehicle.ModelYear, role == VehicleRole.Primary ? "primary" : "driver", online.Contains(vehicle.Vin),
                await theft.IsStolenAsync(vehicle.Vin, cancellationToken)));
        }
        Vehicles = rows;
    }
}
