using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// The car's software (F3) for its users: what each updatable part runs, the update on offer — install it now or postpone it,
/// unless it is mandatory —, the past updates, and the primary user's preference per kind of update (install automatically, ask
/// the driver, never). The same service as <c>/api/v1/vehicles/{vin}/software</c>.
/// </summary>
internal sealed class SoftwareModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, ICarSoftware software)
    : VehiclePage(vehicles, issuer, t)
{
    public bool Entitled { get; private set; }

    public CarSoftwareResponse? State { get; private set; }

    public bool IsPrimary => Role == VehicleRole.Primary;

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: true, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostPreferencesAsync(string vin, string? security, string? feature, string? maintenance, CancellationToken cancellationToken) =>
        ActAsync(vin, ServiceUse.PrimaryOnly, async () =>
            await software.SetPreferenceAsync(Vin, "security", security, cancellationToken)
            ?? await software.SetPreferenceAsync(Vin, "feature", feature, cancellationToken)
            ?? await software.SetPreferenceAsync(Vin, "maintenance", maintenance, cancellationToken),
            "Your preferences are saved; the car follows them from its next update check.", cancellationToken);

    public Task<IActionResult> OnPostAcceptAsync(string vin, long actionId, CancellationToken cancellationToken) =>
        ActAsync(vin, ServiceUse.Change, () => software.AcceptAsync(Vin, AccessSince, actionId, cancellationToken),
            "The car installs the update at its next update check.", cancellationToken);

    public Task<IActionResult> OnPostPostponeAsync(string vin, long actionId, int days, CancellationToken cancellationToken) =>
        ActAsync(vin, ServiceUse.Change, () => software.PostponeAsync(Vin, AccessSince, actionId, days, cancellationToken),
            "The update is postponed.", cancellationToken);

    private async Task<IActionResult> ActAsync(string vin, ServiceUse use, Func<Task<Refusal?>> action, string done, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var refusal = await UseAsync(ServiceIds.SoftwareUpdate, use, count: true, cancellationToken) ?? await action();
        if (refusal is null)
        {
            Message = Texts[done];
            return Redirect($"/vehicles/{Vin}/software");
        }
        ShowRefusal(refusal, Texts);
        await LoadAsync(vin, count: false, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string vin, bool count, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        Entitled = await UseAsync(ServiceIds.SoftwareUpdate, ServiceUse.Read, count, cancellationToken) is null;
        State = Entitled ? await software.StateAsync(Vin, AccessSince, cancellationToken) : null;
        return true;
    }

    /// <summary>An update kind, decision or status as the car's users read it (an English text key).</summary>
    public static string Label(string code) => code switch
    {
        "security" => "Security fixes",
        "feature" => "New features",
        "maintenance" => "Maintenance updates",
        "automatic" => "Install automatically",
        "ask" => "Ask the driver",
        "never" => "Never install",
        "pending" => "Waiting for the car's update check",
        "retrieved" => "Offered to the car",
        "running" => "Installing",
        "downloading" => "Downloading",
        "downloaded" => "Downloaded",
        "rejected" => "Not installed yet: the car says later",
        "canceling" => "Being cancelled",
        "canceled" => "Cancelled by the manufacturer",
        "finished" => "Installed",
        "error" => "Installation failed",
        _ => "Software update",
    };
}
