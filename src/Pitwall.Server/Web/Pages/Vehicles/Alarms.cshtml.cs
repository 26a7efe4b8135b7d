using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.ValetAlarm;
using Pitwall.Server.Features.VehicleAlarm;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// The vehicle alarm (D1) and the valet alarm (D3): the anti-theft alarms with reason, time and position; switching the
/// valet alarm on (limits) and off, its state as the car confirmed it, and what the car reported. Same services, checks
/// and access-since rule as the API (a user sees what happened since they got access to the car).
/// </summary>
internal sealed class AlarmsModel(
    VehicleStore vehicles, CommandIssuer issuer, VehicleAlarmStore alarms, ValetStore valetStore, ValetService valet, IStringLocalizer<PortalText> t)
    : VehiclePage(vehicles, issuer, t)
{
    private const int HistoryLength = 50;

    /// <summary>False when the car's packages do not cover the vehicle alarm (the API answers not_entitled then).</summary>
    public bool AlarmEntitled { get; private set; }

    public IReadOnlyList<AlarmResponse> Alarms { get; private set; } = [];

    public bool ValetEntitled { get; private set; }

    public ValetResponse Valet { get; private set; } = ValetResponse.Inactive;

    public IReadOnlyList<ValetEventResponse> ValetEvents { get; private set; } = [];

    /// <summary>Why the valet alarm cannot be switched now (not in the packages, private mode, switched off in the car); null when it can.</summary>
    public string? ValetRefused { get; private set; }

    /// <summary>Whether the valet alarm is on or being switched on, so it can be switched off.</summary>
    public bool ValetOn => Valet.State is "requested" or "active";

    [BindProperty]
    public double? MaxSpeedKmh { get; set; } = ValetService.DefaultMaxSpeedKmh;

    [BindProperty]
    public double? RadiusM { get; set; } = ValetService.DefaultRadiusM;

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(vin, count: true, cancellationToken))
        {
            return NotFound();
        }
        if (ValetOn)
        {
            (MaxSpeedKmh, RadiusM) = (Valet.MaxSpeedKmh, Valet.RadiusM);
        }
        return Page();
    }

    /// <summary>The same page for the live refresh (alarms.js takes the panels out of it), which is not another use of the services.</summary>
    public async Task<IActionResult> OnGetPanelsAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: false, cancellationToken) ? Page() : NotFound();

    /// <summary>Switches the valet alarm on, or changes the limits of the running one (the API's <c>PUT /valet</c>).</summary>
    public async Task<IActionResult> OnPostStartAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var errors = new ValidationErrors();
        var (maxSpeed, radius) = ValetService.Limits(MaxSpeedKmh, RadiusM, errors);
        if (errors.Any)
        {
            AddErrors(errors, Texts);
        }
        else if (!await RefusedAsync(cancellationToken))
        {
            await valet.StartAsync(Vin, AccountId, maxSpeed, radius, CancellationToken.None);
            Message = Texts["Valet alarm settings sent to the car; it confirms them when it gets them."];
            return Redirect($"/vehicles/{Vin}/alarms");
        }
        await LoadAsync(vin, count: false, cancellationToken);
        return Page();
    }

    /// <summary>Switches the valet alarm off (the API's <c>DELETE /valet</c>); the car reports the end.</summary>
    public async Task<IActionResult> OnPostStopAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (!await RefusedAsync(cancellationToken))
        {
            if (await valet.StopAsync(Vin, CancellationToken.None) is not null)
            {
                Message = Texts["Valet alarm switched off; the car reports the end."];
                return Redirect($"/vehicles/{Vin}/alarms");
            }
            ModelState.AddModelError("", Texts[ValetService.NotActive.Title]);
        }
        await LoadAsync(vin, count: false, cancellationToken);
        return Page();
    }

    /// <returns>True, with the reason on top of the page, when the valet alarm cannot be switched; else the switch counts as a use.</returns>
    private async Task<bool> RefusedAsync(CancellationToken cancellationToken)
    {
        if (await UseAsync(ServiceIds.ValetAlarm, ServiceUse.Change, count: true, cancellationToken) is not { } refusal)
        {
            return false;
        }
        _refusal = refusal;
        ModelState.AddModelError("", Texts[ValetWording(refusal)]);
        return true;
    }

    /// <summary>Why the valet alarm cannot be switched, when a refused form is shown again (its answer is the page's).</summary>
    private Refusal? _refusal;

    /// <param name="count">Whether reading the alarms counts as a use of the services (the page, not its live refresh).</param>
    private async Task<bool> LoadAsync(string vin, bool count, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        AlarmEntitled = await UseAsync(ServiceIds.VehicleAlarm, ServiceUse.Read, count, cancellationToken) is null;
        if (AlarmEntitled)
        {
            Alarms = [.. (await alarms.HistoryAsync(Vin, AccessSince, HistoryLength, cancellationToken)).Select(AlarmResponse.From)];
        }
        ValetEntitled = await UseAsync(ServiceIds.ValetAlarm, ServiceUse.Read, count, cancellationToken) is null;
        if (ValetEntitled)
        {
            Valet = await valet.CurrentAsync(Vin, cancellationToken);
            ValetEvents = [.. (await valetStore.EventsAsync(Vin, AccessSince, HistoryLength, cancellationToken)).Select(ValetEventResponse.From)];
            // The page shows why the valet alarm cannot be switched only where it shows the valet alarm at all.
            ValetRefused = (_refusal ?? await UseAsync(ServiceIds.ValetAlarm, ServiceUse.Change, count: false, cancellationToken)) is { } refusal
                ? Texts[ValetWording(refusal)].Value
                : null;
        }
        return true;
    }

    /// <summary>A refusal of the valet alarm in the portal's words: the switches in the valet alarm's own, the rest as every page.</summary>
    private static string ValetWording(Refusal refusal) =>
        refusal.Code == ErrorCodes.ServiceDisabled ? "The valet alarm or the services with location are switched off in the car." : Wording(refusal);

    public static string Reason(string reason) => reason switch
    {
        "door" => "A door was opened",
        "hood" => "The bonnet was opened",
        "trunk" => "The boot was opened",
        "interior_motion" => "Movement inside the car",
        "tilt_tow" => "The car was tilted or towed",
        "glass" => "Glass was broken",
        "power_cut" => "The battery was disconnected",
        "ignition" => "The ignition was tampered with",
        _ => "Unknown cause",
    };

    public static string ValetState(string state) => state switch
    {
        "requested" => "switched on, waiting for the car",
        "active" => "on",
        "ending" => "switching off, waiting for the car",
        "ended" => "off (ended)",
        _ => "off",
    };

    public static string ValetKind(string kind) => kind switch
    {
        "started" => "Started: the car noted where it is parked",
        "speed_exceeded" => "Speed limit exceeded",
        "radius_exceeded" => "Left the area around the parking place",
        _ => "Ended",
    };
}
