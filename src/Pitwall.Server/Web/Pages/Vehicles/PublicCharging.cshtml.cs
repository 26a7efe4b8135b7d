using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Charging;
using Pitwall.Server.Features.Charging.Sessions;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// Public charging (G1, G2): start charging at a station by its EVSE ID or the URL of its QR code, follow the running charge live
/// (energy, duration, cost so far, the car's own charging state) and stop it. The same gate and rules as
/// <c>/api/v1/vehicles/{vin}/charging-commands</c> and <c>…/charging-sessions</c>.
/// </summary>
internal sealed class PublicChargingModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, IPublicCharging charging)
    : VehiclePage(vehicles, issuer, t)
{
    public bool Entitled { get; private set; }

    public IReadOnlyList<LiveChargingSessionResponse> Running { get; private set; } = [];

    [BindProperty]
    public string? Evse { get; set; }

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        await LoadAsync(count: true, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostStartAsync(string vin, CancellationToken cancellationToken) =>
        ActAsync(vin, () => charging.StartAsync(Request, AccountId, Vin, Evse, CancellationToken.None), cancellationToken);

    public Task<IActionResult> OnPostStopAsync(string vin, string sessionId, CancellationToken cancellationToken) =>
        ActAsync(vin, () => charging.StopAsync(Request, AccountId, Vin, sessionId, CancellationToken.None), cancellationToken);

    private async Task<IActionResult> ActAsync(
        string vin, Func<Task<(Features.Charging.Commands.ChargingCommandResponse? Command, Hosting.Refusal? Refusal)>> action, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var refusal = await UseAsync(ServiceIds.Charging, ChargingServiceUses.Stations, count: true, cancellationToken);
        if (refusal is null)
        {
            var (command, refused) = await action();
            refusal = refused;
            if (command is not null)
            {
                Message = command.Status switch
                {
                    "rejected" or "failed" => Texts["The station's operator refused: {0}", command.Message ?? command.Response ?? command.Result ?? ""],
                    _ => Texts["Sent to the station's operator."],
                };
                return Redirect($"/vehicles/{Vin}/public-charging");
            }
        }
        ShowRefusal(refusal!, Texts);
        await LoadAsync(count: false, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(bool count, CancellationToken cancellationToken)
    {
        Entitled = await UseAsync(ServiceIds.Charging, ServiceUse.Read, count, cancellationToken) is null;
        if (Entitled)
        {
            Running = await charging.RunningAsync(AccountId, cancellationToken);
        }
    }
}
