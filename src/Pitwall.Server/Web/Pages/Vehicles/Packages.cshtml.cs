using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>The car's packages (B1–B4): what runs, buying (Car Security with its B2 data), cancelling, withdrawing.</summary>
internal sealed class PackagesModel(
    VehicleStore vehicles, CommandIssuer issuer, ContractService contracts, ContractStore store, PackageStore packages,
    TimeProvider time, IStringLocalizer<PortalText> t) : VehiclePage(vehicles, issuer, t)
{
    private Dictionary<string, string> _names = [];

    public IReadOnlyList<ContractRecord> Contracts { get; private set; } = [];

    public IReadOnlyList<Offer> Offers { get; private set; } = [];

    public bool IsPrimary => Role == VehicleRole.Primary;

    [BindProperty]
    public string? Phones { get; set; }

    [BindProperty]
    public string? SecurityQuestion { get; set; }

    [BindProperty]
    public string? SecurityAnswer { get; set; }

    [BindProperty]
    public string? Colour { get; set; }

    [BindProperty]
    public string? RegistrationNumber { get; set; }

    /// <summary>The package whose price the owner is asked to confirm (the first step of buying), or null.</summary>
    public Package? Confirming { get; private set; }

    public string NameOf(string packageId) => _names.GetValueOrDefault(packageId, packageId);

    public bool CanWithdraw(ContractRecord c) => contracts.InWithdrawalPeriod(c, time.GetUtcNow());

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, cancellationToken) ? Page() : NotFound();

    /// <summary>Buying takes two steps: the first checks what the owner entered and shows the price for confirmation, the second
    /// buys at the price confirmed.</summary>
    public async Task<IActionResult> OnPostBuyAsync(string vin, string? packageId, long? confirmedPriceMinor, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var security = new CarSecurityRequest(
            ParsePhoneNumbers(Phones) is { Count: > 0 } phones ? phones : null, SecurityQuestion, SecurityAnswer, Colour, RegistrationNumber);
        if (await UseVehicleAsync(primaryUserOnly: true, cancellationToken) is { } refused)
        {
            return await AfterAsync(vin, null, refused, cancellationToken);
        }
        if (confirmedPriceMinor is null)
        {
            var (package, refusal) = await contracts.CheckPurchaseAsync(Vehicle, packageId, security, cancellationToken);
            if (package is null)
            {
                return await AfterAsync(vin, null, refusal, cancellationToken);
            }
            await LoadAsync(vin, cancellationToken);
            Confirming = package;
            return Page();
        }
        var (contract, failed) = await contracts.PurchaseAsync(AccountId, Vehicle, packageId, security, cancellationToken, confirmedPriceMinor);
        var bought = contract is null ? null : (await packages.FindAsync(contract.PackageId, cancellationToken))?.Name ?? contract.PackageId;
        return await AfterAsync(vin, bought is null ? null : Texts["Bought: {0}.", Texts[bought]].Value, failed, cancellationToken);
    }

    public async Task<IActionResult> OnPostCancelAsync(string vin, string? contractId, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var (contract, refusal) = await contracts.CancelAsync(AccountId, contractId ?? "", cancellationToken);
        return await AfterAsync(vin, contract is null ? null : Texts["Cancelled: runs until {0}, then ends.", PortalTime.Day(contract.EndsAt)].Value, refusal,
            cancellationToken);
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string vin, string? contractId, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var (contract, refusal) = await contracts.WithdrawAsync(AccountId, contractId ?? "", cancellationToken);
        return await AfterAsync(vin, contract is null ? null : Texts["Withdrawn; the price is refunded."].Value, refusal, cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(string vin, string? done, Refusal? refusal, CancellationToken cancellationToken)
    {
        if (refusal is null)
        {
            Message = done;
            return Redirect($"/vehicles/{Vin}/packages");
        }
        ShowRefusal(refusal, Texts, field => field switch
        {
            "carSecurity.phoneNumbers" or "phoneNumbers" => nameof(Phones),
            "carSecurity.securityQuestion" => nameof(SecurityQuestion),
            "carSecurity.securityAnswer" => nameof(SecurityAnswer),
            "carSecurity.colour" => nameof(Colour),
            "carSecurity.registrationNumber" => nameof(RegistrationNumber),
            _ => "",
        });
        await LoadAsync(vin, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        Offers = (await contracts.OffersAsync(Vehicle, cancellationToken)).Where(o => o.NotAvailable is not ("model_not_eligible" or "not_sold")).ToList();
        Contracts = await store.ForVehicleAsync(Vin, cancellationToken);
        _names = (await packages.ListAsync(cancellationToken)).ToDictionary(p => p.Id, p => p.Name);
        return true;
    }
}
