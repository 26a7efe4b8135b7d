using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Charging;
using Pitwall.Server.Features.Charging.Commands;
using Pitwall.Server.Features.Charging.Sessions;
using Pitwall.Server.Features.Charging.Stations;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// Public charging (G1, G2): the stations of a map area with each EVSE's availability, start charging at one of them (or by its EVSE
/// ID or the URL of its QR code), see what became of the command, follow the running charge live (energy, duration, cost so far,
/// the car's own charging state) and stop it. The same gate and rules as <c>/api/v1/vehicles/{vin}/charging-stations</c>,
/// <c>…/charging-commands</c> and <c>…/charging-sessions</c>.
/// </summary>
internal sealed class PublicChargingModel(
    VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, IPublicCharging charging, IChargingStations stations)
    : VehiclePage(vehicles, issuer, t)
{
    /// <summary>How many stations the list shows (nearest to the map's centre).</summary>
    public const int StationCount = 40;

    public IReadOnlyList<ChargingStationResponse> Stations { get; private set; } = [];

    public IReadOnlyList<ChargingCommandResponse> Commands { get; private set; } = [];

    /// <summary>The map area of the list (<c>west,south,east,north</c>); null when no operator published a station.</summary>
    public string? Area { get; private set; }

    /// <summary>The map area the driver looks at (<c>west,south,east,north</c>, from the map), kept across a start.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Bbox { get; set; }

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
                    "rejected" or "failed" => Texts[CommandReason(command)],
                    _ => Texts["Sent to the station's operator."],
                };
                return Redirect($"/vehicles/{Vin}/public-charging" + (AreaOf(Bbox) is { } area ? "?bbox=" + Uri.EscapeDataString(area.ToQuery()) : ""));
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
            Commands = await charging.LatestCommandsAsync(AccountId, Vin, 5, cancellationToken);
            var box = AreaOf(Bbox) ?? await stations.DefaultBoxAsync(cancellationToken);
            if (box is not null)
            {
                Area = box.ToQuery();
                Stations = await stations.InBoxAsync(box, StationCount, cancellationToken);
            }
        }
    }

    /// <summary>The area the map shows; one wider than the API allows is narrowed around its centre (the list shows the nearest).</summary>
    private static GeoBox? AreaOf(string? bbox) =>
        GeoBox.Parse(bbox, GeoBox.MaxDegrees) ?? (GeoBox.Parse(bbox, 360) is { } wide ? GeoBox.Around(wide.Centre.Latitude, wide.Centre.Longitude, GeoBox.MaxDegrees / 2) : null);

    /// <summary>The text of an EVSE status (OCPI's), for the list.</summary>
    public static string Availability(string status) => status switch
    {
        "AVAILABLE" => "Available",
        "CHARGING" => "In use",
        "BLOCKED" => "Blocked at the station",
        "RESERVED" => "Reserved",
        "INOPERATIVE" or "OUTOFORDER" => "Out of order",
        "PLANNED" => "Planned",
        _ => "Status unknown",
    };

    /// <summary>The text of a command's state, for the list of commands.</summary>
    public static string CommandState(ChargingCommandResponse c) => c.Status switch
    {
        "sending" => "Sending to the operator",
        "accepted" => "The operator passed it on; waiting for the station",
        "performed" => "Done",
        _ => CommandReason(c),
    };

    /// <summary>Why a command was not done, in words: the charge point's result when one came, else the operator's answer (an
    /// operator that accepted and a station that then failed must not read as "refused: ACCEPTED").</summary>
    public static string CommandReason(ChargingCommandResponse c) => (c.Status == "rejected" ? c.Response : c.Result ?? c.Response) switch
    {
        "EVSE_OCCUPIED" => "The charging point is in use",
        "EVSE_INOPERATIVE" => "The charging point is out of order",
        "NOT_SUPPORTED" => "The station cannot do this remotely",
        "UNKNOWN_SESSION" => "The operator does not know this charging session",
        "REJECTED" => c.Status == "rejected" ? "Refused by the operator" : "Refused by the station",
        "TIMEOUT" => "The station did not answer in time",
        _ => "The station could not do it",
    };

    public static string CommandType(ChargingCommandResponse c) => c.Type switch
    {
        "start_session" => "Start charging",
        "stop_session" => "Stop charging",
        _ => "Unlock the connector",
    };
}
