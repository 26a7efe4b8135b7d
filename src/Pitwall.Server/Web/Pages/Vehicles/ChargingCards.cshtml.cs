using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Charging;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// The Charging Service's cards (G1): the account's contract id, the app's token and the RFID cards; order a card, block one. The
/// same gate and rules as <c>/api/v1/vehicles/{vin}/charging-cards</c>.
/// </summary>
internal sealed class ChargingCardsModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, IChargingCards cards)
    : VehiclePage(vehicles, issuer, t)
{
    public bool Entitled { get; private set; }

    public ChargingCardsResponse? Cards { get; private set; }

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        await LoadAsync(count: true, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostOrderAsync(string vin, CancellationToken cancellationToken) =>
        ActAsync(vin, async () =>
        {
            await cards.OrderAsync(AccountId, Vin, CancellationToken.None);
            return "Your charging card is ordered.";
        }, cancellationToken);

    public Task<IActionResult> OnPostBlockAsync(string vin, string uid, CancellationToken cancellationToken) =>
        ActAsync(vin, async () => await cards.BlockAsync(AccountId, uid, CancellationToken.None)
            ? "The card is blocked: operators refuse it from now on."
            : "No such card among yours.", cancellationToken);

    private async Task<IActionResult> ActAsync(string vin, Func<Task<string>> action, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (await UseAsync(ServiceIds.Charging, ChargingServiceUses.Cards, count: true, cancellationToken) is { } refusal)
        {
            ShowRefusal(refusal, Texts);
            await LoadAsync(count: false, cancellationToken);
            return Page();
        }
        Message = Texts[await action()];
        return Redirect($"/vehicles/{Vin}/charging-cards");
    }

    private async Task LoadAsync(bool count, CancellationToken cancellationToken)
    {
        Entitled = await UseAsync(ServiceIds.Charging, ServiceUse.Read, count, cancellationToken) is null;
        if (Entitled)
        {
            Cards = await cards.ListAsync(AccountId, cancellationToken);
        }
    }
}
