using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Commands;
using System.Text.Json;
using Pitwall.Server.Features.Trips;
using Pitwall.Server.Features.Trips.History;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>Trip Control (C3): the last drive and the long term since the last reset, as the car computed them.</summary>
internal sealed class TripsModel(
    VehicleStore vehicles, CommandIssuer issuer, TripsReader reader, TripHistory history, TimeProvider time, IStringLocalizer<PortalText> t)
    : VehiclePage(vehicles, issuer, t)
{
    public TripsResponse Trips { get; private set; } = null!;

    /// <summary>The trip history (null without Trip Control).</summary>
    public TripHistoryResponse? History { get; private set; }

    public bool IsPrimary => Role == VehicleRole.Primary;

    /// <summary>False when the car's packages do not cover Trip Control (the API answers not_entitled then).</summary>
    public bool Entitled { get; private set; }

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: true, cancellationToken) ? Page() : NotFound();

    /// <summary>The same page for the live refresh (trips.js), which is not another use of the service.</summary>
    public async Task<IActionResult> OnGetPanelAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: false, cancellationToken) ? Page() : NotFound();

    private async Task<bool> LoadAsync(string vin, bool count, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        Entitled = await UseAsync(ServiceIds.TripControl, ServiceUse.Read, count, cancellationToken) is null;
        if (Entitled)
        {
            Trips = await reader.ReadAsync(Vin, cancellationToken);
            History = await history.ReadAsync(Vin, AccessSince, TripHistory.RetentionDays, cancellationToken);
        }
        return true;
    }

    /// <summary>The owner starts (gives the consent) or stops and deletes the trip history.</summary>
    public async Task<IActionResult> OnPostHistoryAsync(string vin, bool keep, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (await UseAsync(ServiceIds.TripControl, ServiceUse.PrimaryChoice, count: true, cancellationToken) is not null)
        {
            return StatusCode(StatusCodes.Status403Forbidden); // the form is shown to the owner only
        }
        await history.SetKeptAsync(AccountId, Vin, keep, "web", CancellationToken.None);
        Message = Texts[keep ? "The trip history is being kept from now on." : "The trip history was stopped and deleted."];
        return Redirect($"/vehicles/{Vin}/trips");
    }

    /// <summary>The consumption unit of the history's drives (by powertrain).</summary>
    public string? HistoryUnit =>
        History?.Drives.Any(d => d.AverageElectricConsumptionKwhPer100Km is not null) == true ? "kWh/100 km"
        : History?.Drives.Any(d => d.AverageFuelConsumptionLitresPer100Km is not null) == true ? "l/100 km"
        : null;

    /// <summary>What the chart draws (trips.js): times in epoch seconds, the charge level, and each drive's consumption at its end.</summary>
    public string ChartJson => JsonSerializer.Serialize(new
    {
        charge = History?.StateOfCharge.Select(l => new[] { l.At.ToUnixTimeMilliseconds() / 1000.0, l.Percent }) ?? [],
        consumption = History?.Drives
            .Where(d => (d.AverageElectricConsumptionKwhPer100Km ?? d.AverageFuelConsumptionLitresPer100Km) is not null)
            .Select(d => new[] { d.EndedAt.ToUnixTimeMilliseconds() / 1000.0, (d.AverageElectricConsumptionKwhPer100Km ?? d.AverageFuelConsumptionLitresPer100Km)!.Value }) ?? [],
    });

    /// <summary>A duration as hh:mm.</summary>
    public static string Hours(long seconds) => $"{seconds / 3600:00}:{seconds % 3600 / 60:00}";

    /// <summary>A figure for display, or why there is none.</summary>
    public string Show(TripFiguresResponse figures, Func<TripFiguresResponse, string?> pick) =>
        figures.Unavailable is { } reason ? Texts[Missing(reason)] : pick(figures) ?? "–";

    public static string Number(double? value) => value is { } v ? v.ToString("0.0", PortalTime.Numbers) : "–";

    /// <summary>The consumption unit of this car (one of them is reported, by powertrain), for the row's header.</summary>
    public string? ConsumptionUnit =>
        Terms.Any(f => f.AverageElectricConsumptionKwhPer100Km is not null) ? "kWh/100 km"
        : Terms.Any(f => f.AverageFuelConsumptionLitresPer100Km is not null) ? "l/100 km"
        : null;

    public static string Consumption(TripFiguresResponse f) =>
        Number(f.AverageElectricConsumptionKwhPer100Km ?? f.AverageFuelConsumptionLitresPer100Km);

    private IEnumerable<TripFiguresResponse> Terms => [Trips.ShortTerm, Trips.LongTerm];

    private static string Missing(string reason) => reason switch
    {
        "privacy_mode" => "hidden: private mode",
        "service_disabled" => "hidden: service switched off in the car",
        _ => "not reported yet",
    };
}
