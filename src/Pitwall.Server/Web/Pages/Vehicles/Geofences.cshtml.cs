using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.LocationAlarm;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>Location alarm (D2): the car's areas on a map and as a list, adding (map click or typed coordinates) and deleting,
/// each area's confirmed or pending state, and the latest crossings. Same service and rules as the API.</summary>
internal sealed class GeofencesModel(VehicleStore vehicles, CommandIssuer issuer, GeofenceService geofences, IStringLocalizer<PortalText> t)
    : VehiclePage(vehicles, issuer, t)
{
    public IReadOnlyList<GeofenceResponse> Areas { get; private set; } = [];

    public IReadOnlyList<GeofenceEventResponse> History { get; private set; } = [];

    /// <summary>Why the areas cannot be shown (e.g. not in the car's packages); null when they can.</summary>
    public string? Unavailable { get; private set; }

    public bool CanChange => Role == VehicleRole.Primary && Unavailable is null;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public double? Latitude { get; set; }

    [BindProperty]
    public double? Longitude { get; set; }

    [BindProperty]
    public double? RadiusMetres { get; set; } = 500;

    [BindProperty]
    public string Notify { get; set; } = GeofenceRules.NotifyBoth;

    [BindProperty]
    public bool LimitHours { get; set; }

    [BindProperty]
    public List<string> Days { get; set; } = [.. GeofenceRules.Weekdays.Take(5)];

    [BindProperty]
    public string? From { get; set; } = "08:00";

    [BindProperty]
    public string? To { get; set; } = "18:00";

    [BindProperty]
    public string? TimeZone { get; set; } = "Europe/Berlin";

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: true, cancellationToken) ? Page() : NotFound();

    /// <summary>The list and history alone, for the page's live refresh (not another use of the service).</summary>
    public async Task<IActionResult> OnGetListAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: false, cancellationToken) ? Partial("GeofencesList", this) : NotFound();

    public async Task<IActionResult> OnPostCreateAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var request = new GeofenceRequest(Name, Latitude, Longitude, RadiusMetres, Notify,
            LimitHours ? new ActiveHoursRequest(Days, From, To, TimeZone) : null);
        var (created, refusal) = await UseAsync(ServiceIds.LocationAlarm, ServiceUse.PrimaryOnly, count: true, cancellationToken) is { } refused
            ? (null, refused)
            : await geofences.CreateAsync(Vin, request, CancellationToken.None);
        if (created is not null)
        {
            Message = Texts["Area saved; it is being sent to the car."];
            return Redirect($"/vehicles/{Vin}/geofences");
        }
        Refused(refusal!);
        await LoadAsync(vin, count: false, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string vin, string? id, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if ((await UseAsync(ServiceIds.LocationAlarm, ServiceUse.PrimaryOnly, count: true, cancellationToken) ??
             await geofences.DeleteAsync(Vin, id ?? "", CancellationToken.None)) is { } refusal)
        {
            Refused(refusal);
            await LoadAsync(vin, count: false, cancellationToken);
            return Page();
        }
        Message = Texts["Area deleted."];
        return Redirect($"/vehicles/{Vin}/geofences");
    }

    private void Refused(Refusal refusal) =>
        ShowRefusal(refusal, Texts, field => field switch
        {
            "activeHours.days" => nameof(Days),
            "activeHours.from" => nameof(From),
            "activeHours.to" => nameof(To),
            "activeHours.timeZone" => nameof(TimeZone),
            _ => char.ToUpperInvariant(field[0]) + field[1..],
        });

    private async Task<bool> LoadAsync(string vin, bool count, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        if (await UseAsync(ServiceIds.LocationAlarm, ServiceUse.Read, count, cancellationToken) is { } refusal)
        {
            Unavailable = Texts[refusal.Title];
            return true;
        }
        Areas = await geofences.ListAsync(Vin, cancellationToken);
        History = (await geofences.EventsAsync(Vin, AccessSince, null, 20, cancellationToken)).Events;
        return true;
    }
}
