using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Dealers;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// The car's dealer and service appointments (F1): the preferred dealer (choose, revoke, send to the car's navigation), a
/// request with up to three wished times in the dealer's local time, the appointments with accept, cancel and the calendar
/// file, and every dealer read of the car's data. The same services and rules as the API.
/// </summary>
internal sealed class DealerModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, ICarDealers service)
    : VehiclePage(vehicles, issuer, t)
{

    public bool Entitled { get; private set; }

    public DealerResponse? Preferred { get; private set; }

    public IReadOnlyList<DealerResponse> Directory { get; private set; } = [];

    public IReadOnlyList<AppointmentResponse> Bookings { get; private set; } = [];

    public IReadOnlyList<DealerReadResponse> Reads { get; private set; } = [];

    public IReadOnlyDictionary<string, DealerResponse> Dealers { get; private set; } = new Dictionary<string, DealerResponse>();

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty]
    public string? DealerId { get; set; }

    /// <summary>Wished starts, the dealer's local time ("yyyy-MM-ddTHH:mm").</summary>
    [BindProperty]
    public string?[] Slots { get; set; } = ["", "", ""];

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The page; the request's reason is prefilled with what is due (the Smart Service page's "book" button opens it so).</summary>
    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(vin, count: true, cancellationToken))
        {
            return NotFound();
        }
        if (Entitled)
        {
            Reason ??= await service.DueSummaryAsync(Vin, cancellationToken);
        }
        return Page();
    }

    public Task<IActionResult> OnPostChooseAsync(string vin, CancellationToken cancellationToken) =>
        ActAsync(vin, DealerServiceUses.Choice, () => service.ChooseAsync(Vin, AccountId, DealerId, CancellationToken.None), "Your dealer is chosen.", cancellationToken);

    public Task<IActionResult> OnPostRevokeAsync(string vin, CancellationToken cancellationToken) =>
        ActAsync(vin, DealerServiceUses.Choice, async () =>
        {
            await service.RevokeAsync(Vin, CancellationToken.None);
            return null;
        }, "The dealer no longer reads your car's data, unless an appointment with it is open.", cancellationToken);

    public Task<IActionResult> OnPostNavigateAsync(string vin, CancellationToken cancellationToken) =>
        ActAsync(vin, ServiceUse.Change, () => service.NavigateAsync(Vin, DealerId, CancellationToken.None), "The dealer was sent to the car's navigation.", cancellationToken);

    public Task<IActionResult> OnPostRequestAsync(string vin, CancellationToken cancellationToken) =>
        ActAsync(vin, DealerServiceUses.Booking, () => service.RequestAsync(Vin, AccountId, DealerId, Slots, Reason, CancellationToken.None),
            "Your request went to the dealer; you are told when it answers.", cancellationToken);

    public Task<IActionResult> OnPostAcceptAsync(string vin, string id, CancellationToken cancellationToken) =>
        ActAsync(vin, DealerServiceUses.Booking, () => service.MoveAsync(Vin, AccessSince, id, AppointmentMove.Accept, CancellationToken.None),
            "The appointment is confirmed.", cancellationToken);

    public Task<IActionResult> OnPostCancelAsync(string vin, string id, CancellationToken cancellationToken) =>
        ActAsync(vin, DealerServiceUses.Booking, () => service.MoveAsync(Vin, AccessSince, id, AppointmentMove.Cancel, CancellationToken.None),
            "The appointment is cancelled.", cancellationToken);

    /// <summary>The appointment as an iCalendar file, as <c>GET …/appointments/{id}/calendar</c>.</summary>
    public async Task<IActionResult> OnGetCalendarAsync(string vin, string id, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken) || await UseAsync(ServiceIds.Maintenance, ServiceUse.Read, count: true, cancellationToken) is not null ||
            await service.CalendarAsync(Vin, AccessSince, id, cancellationToken) is not { } file)
        {
            return NotFound();
        }
        return File(System.Text.Encoding.UTF8.GetBytes(file.Content), file.ContentType, file.FileName);
    }

    public static string State(string state) => state switch
    {
        "requested" => "requested, waiting for the dealer",
        "proposed" => "the dealer proposes another time",
        "confirmed" => "confirmed",
        "declined" => "declined by the dealer",
        "cancelled" => "cancelled",
        _ => "completed",
    };

    public static string What(string what) => what switch
    {
        "health" => "component health",
        "faults" => "faults",
        _ => "service logs",
    };

    /// <summary>A time as the dealer's clock shows it.</summary>
    public string Local(DateTimeOffset at, string dealerId) =>
        Dealers.TryGetValue(dealerId, out var d) && TimeZoneInfo.TryFindSystemTimeZoneById(d.TimeZone, out var zone)
            ? TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : ConsoleFormat.When(at);

    /// <summary>Passes the gate for <paramref name="use"/>, runs the action, and shows its refusal or the message.</summary>
    private async Task<IActionResult> ActAsync(string vin, ServiceUse use, Func<Task<Refusal?>> action, string done, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var refusal = await UseAsync(ServiceIds.Maintenance, use, count: true, cancellationToken) ?? await action();
        if (refusal is null)
        {
            Message = Texts[done];
            return Redirect($"/vehicles/{Vin}/dealer");
        }
        ShowRefusal(refusal, Texts, field => field == "slots" ? "Slots" : char.ToUpperInvariant(field[0]) + field[1..]);
        await LoadAsync(vin, count: false, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string vin, bool count, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        Entitled = await UseAsync(ServiceIds.Maintenance, ServiceUse.Read, count, cancellationToken) is null;
        if (Entitled)
        {
            var view = await service.ViewAsync(Vin, AccessSince, Q, cancellationToken);
            (Preferred, Directory, Bookings, Reads, Dealers) = (view.Preferred, view.Directory, view.Bookings, view.Reads, view.Dealers);
            DealerId ??= Preferred?.Id;
        }
        return true;
    }
}
