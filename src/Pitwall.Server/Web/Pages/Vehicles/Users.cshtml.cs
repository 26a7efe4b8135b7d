using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// The car's users (A3): the primary user invites a driver by the e-mail address of the driver's account, removes drivers and
/// unpairs the car (every user loses access); a driver sees who else uses it and stops using it. The same rules as the API.
/// </summary>
internal sealed class UsersModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, VehicleUsers users, PairingService pairing)
    : VehiclePage(vehicles, issuer, t)
{
    public IReadOnlyList<VehicleUserResponse> Users { get; private set; } = [];

    public bool IsPrimary => Role == VehicleRole.Primary;

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public bool ConfirmUnpair { get; set; }

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostInviteAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var refusal = await UseVehicleAsync(primaryUserOnly: true, cancellationToken);
        if (refusal is null)
        {
            (var driver, refusal) = await users.AddDriverAsync(Vin, Email, CancellationToken.None);
            if (driver is not null)
            {
                Message = Texts["{0} can now use the car as a driver.", driver.Name];
                return Redirect($"/vehicles/{Vin}/users");
            }
        }
        ShowRefusal(refusal!, Texts, key: refusal!.Errors is null ? nameof(Email) : "");
        await LoadAsync(vin, cancellationToken);
        return Page();
    }

    /// <summary>The primary user removes a driver; a driver removes themselves (and then no longer sees the car).</summary>
    public async Task<IActionResult> OnPostRemoveAsync(string vin, string? accountId, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (await users.RemoveDriverAsync(Vin, accountId ?? "", AccountId, Role, CancellationToken.None) is { } refusal)
        {
            ShowRefusal(refusal, Texts);
            await LoadAsync(vin, cancellationToken);
            return Page();
        }
        if (accountId == AccountId)
        {
            return Redirect("/vehicles");
        }
        Message = Texts["The driver no longer has access to the car."];
        return Redirect($"/vehicles/{Vin}/users");
    }

    /// <summary>Unpairs the car after the primary user confirmed it: every user loses access.</summary>
    public async Task<IActionResult> OnPostUnpairAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (await UseVehicleAsync(primaryUserOnly: true, cancellationToken) is { } refusal)
        {
            ShowRefusal(refusal, Texts);
        }
        else if (!ConfirmUnpair)
        {
            ModelState.AddModelError(nameof(ConfirmUnpair), Texts["Tick the box to confirm that every user loses access to the car."]);
        }
        else
        {
            await pairing.UnpairAsync(Vin, CancellationToken.None);
            return Redirect("/vehicles");
        }
        await LoadAsync(vin, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        Users = await users.ListAsync(Vin, cancellationToken);
        return true;
    }
}
