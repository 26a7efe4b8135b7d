using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.Dealers;

namespace Pitwall.Server.Web.Pages.Dealers;

/// <summary>
/// The dealer console (F1): the dealer's service appointments, open ones first, each answered here — confirm a requested
/// time, propose another (the dealer's local time), decline, mark done. The same service and rules as
/// <c>/api/v1/dealer/appointments</c>, for the dealer role only (English only, as the other consoles are).
/// </summary>
internal sealed class DealerConsoleModel(IDealerConsole console) : PortalPage
{
    private IDealerConsole Console { get; } = console;

    public DealerResponse? Workshop { get; private set; }

    public IReadOnlyList<AppointmentResponse> Bookings { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    /// <summary>Confirm: the requested start chosen (ISO); propose: the new start, the dealer's local time ("yyyy-MM-ddTHH:mm").</summary>
    [BindProperty]
    public string? StartsAt { get; set; }

    [BindProperty]
    public int? DurationMinutes { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    /// <param name="vin">From the VIN form: opens that car's data.</param>
    public async Task<IActionResult> OnGetAsync(string? vin, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(vin) ? await LoadAsync(cancellationToken) : Redirect($"/dealer/vehicles/{Uri.EscapeDataString(vin.Trim())}");

    public Task<IActionResult> OnPostConfirmAsync(string id, CancellationToken cancellationToken) => MoveAsync(id, AppointmentMove.Confirm, cancellationToken);

    public Task<IActionResult> OnPostProposeAsync(string id, CancellationToken cancellationToken) => MoveAsync(id, AppointmentMove.Propose, cancellationToken);

    public Task<IActionResult> OnPostDeclineAsync(string id, CancellationToken cancellationToken) => MoveAsync(id, AppointmentMove.Decline, cancellationToken);

    public Task<IActionResult> OnPostCompleteAsync(string id, CancellationToken cancellationToken) => MoveAsync(id, AppointmentMove.Complete, cancellationToken);

    /// <summary>A time as the dealer's clock shows it.</summary>
    public string Local(DateTimeOffset at) =>
        Workshop is { } d && TimeZoneInfo.TryFindSystemTimeZoneById(d.TimeZone, out var zone)
            ? TimeZoneInfo.ConvertTime(at, zone).ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : ConsoleFormat.When(at);

    private async Task<IActionResult> MoveAsync(string id, AppointmentMove move, CancellationToken cancellationToken)
    {
        var (state, refusal) = await Console.MoveAsync(AccountId, id, move, StartsAt, DurationMinutes, Note, cancellationToken);
        if (refusal is null)
        {
            Message = $"The appointment is {state}; the owner is told.";
            return Redirect("/dealer");
        }
        ShowRefusal(refusal);
        return await LoadAsync(cancellationToken);
    }

    private async Task<IActionResult> LoadAsync(CancellationToken cancellationToken)
    {
        var (dealer, notLinked) = await Console.DealerOfAsync(AccountId, cancellationToken);
        if (dealer is null)
        {
            ShowRefusal(notLinked!);
            return Page();
        }
        Workshop = dealer;
        Bookings = await Console.AppointmentsAsync(dealer.Id, cancellationToken);
        return Page();
    }
}
