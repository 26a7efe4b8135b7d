using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.ChargingAndClimate;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>E-Control and climate (C6, C7): the last known state, starting and stopping, the target, and the timers.</summary>
internal sealed class ChargingModel(
    VehicleStore vehicles, CommandIssuer issuer, ChargingAndClimateReader reader, CommandStore commands, TimeProvider time,
    IStringLocalizer<PortalText> t)
    : VehiclePage(vehicles, issuer, t)
{
    public ChargingResponse Charging { get; private set; } = null!;

    public ClimateResponse Climate { get; private set; } = null!;

    /// <summary>The latest charging and climate commands with their outcome, where they were given (the dashboard lists all).</summary>
    public IReadOnlyList<CommandRecord> Commands { get; private set; } = [];

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>A car whose link says it has no state of charge (a petrol car) gets no charging controls or timers.</summary>
    public bool WithoutTractionBattery { get; private set; }

    /// <summary>The services the car's packages cover; the panels show only those (as the API does).</summary>
    public IReadOnlySet<string> Services { get; private set; } = new HashSet<string>();

    [BindProperty]
    public int? TargetStateOfCharge { get; set; }

    [BindProperty]
    public double? TargetTemperature { get; set; } = 21;

    [BindProperty]
    public string TimerKind { get; set; } = "charge";

    [BindProperty]
    public int? TimerId { get; set; } = 1;

    [BindProperty]
    public string? Time { get; set; }

    [BindProperty]
    public string? Date { get; set; }

    [BindProperty]
    public List<string> Days { get; set; } = [];

    [BindProperty]
    public int? TimerTargetStateOfCharge { get; set; } = 80;

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: true, cancellationToken) ? Page() : NotFound();

    /// <summary>The panels alone, for the live refresh, which is not another use of the services.</summary>
    public async Task<IActionResult> OnGetPanelsAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: false, cancellationToken) ? Partial("_ChargingPanels", this) : NotFound();

    public Task<IActionResult> OnPostCommandAsync(string vin, string? type, CancellationToken cancellationToken) =>
        type is "charge_start" or "charge_stop" or "climate_stop" ? SendAndShowAsync(vin, type, [], cancellationToken) : Task.FromResult<IActionResult>(BadRequest());

    public Task<IActionResult> OnPostChargeSettingsAsync(string vin, CancellationToken cancellationToken) =>
        SendAndShowAsync(vin, "charge_settings", new() { ["targetStateOfCharge"] = Text(TargetStateOfCharge) }, cancellationToken);

    public Task<IActionResult> OnPostClimateStartAsync(string vin, CancellationToken cancellationToken) =>
        SendAndShowAsync(vin, "climate_start", new() { ["targetTemperature"] = Text(TargetTemperature) }, cancellationToken);

    public Task<IActionResult> OnPostTimerAsync(string vin, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string?> { ["timerId"] = Text(TimerId), ["time"] = Time };
        if (!string.IsNullOrEmpty(Date))
        {
            parameters["date"] = Date;
        }
        if (Days.Count > 0)
        {
            parameters["days"] = string.Join(',', Days);
        }
        if (TimerKind == "charge")
        {
            parameters["targetStateOfCharge"] = Text(TimerTargetStateOfCharge);
        }
        return SendAndShowAsync(vin, TimerKind == "climate" ? "climate_timer_set" : "charge_timer_set", parameters, cancellationToken,
            field => field switch
            {
                "parameters.timerId" => nameof(TimerId),
                "parameters.targetStateOfCharge" => nameof(TimerTargetStateOfCharge),
                "parameters" or "parameters.days" => nameof(Days), // one-off or recurring: said where the days are chosen
                _ => null,
            });
    }

    public Task<IActionResult> OnPostDeleteTimerAsync(string vin, string? kind, int timerId, CancellationToken cancellationToken) =>
        SendAndShowAsync(vin, kind == "climate" ? "climate_timer_delete" : "charge_timer_delete",
            new() { ["timerId"] = timerId.ToString(CultureInfo.InvariantCulture) }, cancellationToken);

    private async Task<IActionResult> SendAndShowAsync(
        string vin, string type, Dictionary<string, string?> parameters, CancellationToken cancellationToken, Func<string, string?>? fieldOf = null)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        // A missing number is a missing parameter; the shared rules say what is wrong with it.
        foreach (var key in parameters.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            parameters.Remove(key);
        }
        if (await SendAsync(type, parameters, fieldOf: fieldOf))
        {
            return Redirect($"/vehicles/{Vin}/charging");
        }
        await LoadAsync(vin, count: false, cancellationToken);
        return Page();
    }

    /// <param name="count">Whether showing the panels counts as a use of the services (the page, not its refresh or a re-shown form).</param>
    private async Task<bool> LoadAsync(string vin, bool count, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        Services = await EntitledAsync([ServiceIds.EControl, ServiceIds.Climate], count, cancellationToken);
        Charging = await reader.ChargingAsync(Vin, cancellationToken);
        Climate = await reader.ClimateAsync(Vin, cancellationToken);
        WithoutTractionBattery = Charging.StateOfCharge.Unavailable == "not_supported";
        Commands = [.. (await commands.HistoryAsync(Vin, AccessSince, 20, cancellationToken)).Where(IsChargingOrClimate).Take(5)];
        return true;
    }

    private static bool IsChargingOrClimate(CommandRecord command) =>
        CommandIssuer.UseOf(command.Type).Service is ServiceIds.EControl or ServiceIds.Climate;

    private static string? Text(double? value) => value?.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Commands and their outcome for the <c>_CommandsPanel</c> partial.</summary>
internal sealed record CommandsView(IReadOnlyList<CommandRecord> Commands, DateTimeOffset Now);

/// <summary>One kind of timers for the <c>_Timers</c> partial.</summary>
internal sealed record TimersView(IReadOnlyList<TimerResponse> Timers, string Kind);
