using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>A vehicle's page: Car Control values with units and age, the position on a map, refresh, remote functions with
/// their live outcome. The status and command panels are also served alone, for the page's live updates.</summary>
internal sealed class DashboardModel(
    VehicleStore vehicles, CommandIssuer issuer, StatusReader status, StatusRefresher refresher, CommandStore commands, RemotePins pins,
    IVehicleLink link, ITheftStatus theft, TimeProvider time, IStringLocalizer<PortalText> t)
    : VehiclePage(vehicles, issuer, t)
{
    /// <summary>In theft mode or with an open theft case: the page says so first.</summary>
    public bool Stolen { get; private set; }

    public StatusResponse Status { get; private set; } = null!;

    public LocationResponse Location { get; private set; } = null!;

    public IReadOnlyList<CommandRecord> Commands { get; private set; } = [];

    /// <summary>The privacy switches as the car last reported them (they are set in the car, P1/P2); null before it connected.</summary>
    public Protocol.V1.PrivacySettings? Privacy { get; private set; }

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(vin, cancellationToken, count: true))
        {
            return NotFound();
        }
        Stolen = await theft.IsStolenAsync(Vin, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetStatusPanelAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, cancellationToken) ? Partial("_StatusPanel", this) : NotFound();

    public async Task<IActionResult> OnGetCommandsPanelAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, cancellationToken) ? Partial("_CommandsPanel", new CommandsView(Commands, Now)) : NotFound();

    public async Task<IActionResult> OnPostCommandAsync(string vin, string? type, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (type is "unlock" || !await SendAsync(type ?? ""))
        {
            await LoadAsync(vin, cancellationToken);
            return Page();
        }
        return Redirect($"/vehicles/{Vin}#commands");
    }

    /// <summary>Unlocking carries only a proof of the PIN, made in the browser from a fresh challenge (dashboard.js).</summary>
    public async Task<IActionResult> OnPostUnlockAsync(string vin, string? challenge, string? pinProof, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (!await SendAsync("unlock", challenge: challenge, pinProof: pinProof))
        {
            await LoadAsync(vin, cancellationToken);
            return Page();
        }
        return Redirect($"/vehicles/{Vin}#commands");
    }

    public async Task<IActionResult> OnPostPinChallengeAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        return await pins.ChallengeAsync(AccountId, cancellationToken) is { } c
            ? new JsonResult(new { challenge = c.Challenge, salt = c.Salt })
            : new JsonResult(new { error = Texts["Set a remote PIN first."].Value }) { StatusCode = StatusCodes.Status409Conflict };
    }

    public async Task<IActionResult> OnPostRefreshAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        Message = (await UseAsync(ServiceIds.CarControl, ServiceUse.DataRequest, count: true, cancellationToken))?.Code switch
        {
            ErrorCodes.NotEntitled => Texts["The vehicle's packages do not cover this."],
            ErrorCodes.PrivacyMode => Texts["The car is in private mode and shares no data."],
            _ when await refresher.RefreshAsync(Vin, cancellationToken) => Texts["Fresh data received."],
            _ => Texts["The car did not answer; it may be offline."],
        };
        return Redirect($"/vehicles/{Vin}");
    }

    /// <param name="count">Whether showing the status counts as a use of Car Control and Car Finder (the page, not its live
    /// refresh or a re-shown form).</param>
    private async Task<bool> LoadAsync(string vin, CancellationToken cancellationToken, bool count = false)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        // As in the API: what the car's packages do not cover is not shown (it reads "not included in the packages").
        var services = await EntitledAsync([ServiceIds.CarControl, ServiceIds.CarFinder], count, cancellationToken);
        Status = await status.StatusAsync(Vin, cancellationToken);
        if (!services.Contains(ServiceIds.CarControl))
        {
            Status = Status with { Signals = Status.Signals.ToDictionary(s => s.Key, s => new SignalResponse(null, s.Value.Unit, null, ErrorCodes.NotEntitled)) };
        }
        Location = services.Contains(ServiceIds.CarFinder)
            ? await status.LocationAsync(Vin, cancellationToken)
            : new LocationResponse(null, null, null, null, null, ErrorCodes.NotEntitled);
        Commands = await commands.HistoryAsync(Vin, AccessSince, 10, cancellationToken);
        Privacy = (await link.InfoAsync(Vin, cancellationToken))?.Privacy;
        return true;
    }
}
