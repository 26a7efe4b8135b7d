using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Breakdown;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// The breakdown call (F2) for the driver: call for help (the platform asks the car for its snapshot) with the consent answers for
/// this call — share with the assistance centre, show the position, give the dealer the snapshot —, each call's progress (help on
/// its way and when, tow destination) and its consents, which the driver can change at any time. The same service as
/// <c>/api/v1/vehicles/{vin}/breakdown-calls</c>.
/// </summary>
internal sealed class BreakdownModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, IBreakdownCalls calls)
    : VehiclePage(vehicles, issuer, t)
{
    public bool Entitled { get; private set; }

    public IReadOnlyList<DriverCallResponse> Calls { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: true, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostCallAsync(
        string vin, bool assistance, bool position, bool dealer, string? callbackNumber, CancellationToken cancellationToken) =>
        ActAsync(vin, ServiceUse.Change, async () => (await calls.StartAsync(AccountId, Vin, AccessSince,
            new StartBreakdownCallRequest(assistance, position, dealer, null, callbackNumber), cancellationToken)).Refusal,
            "Your breakdown call has reached the assistance centre; an agent will call you back shortly.", cancellationToken);

    public Task<IActionResult> OnPostConsentAsync(
        string vin, string id, bool assistance, bool position, bool dealer, CancellationToken cancellationToken) =>
        ActAsync(vin, ServiceUse.Read, async () => (await calls.ConsentAsync(AccountId, Vin, AccessSince, id,
            new BreakdownConsentRequest(assistance, position, dealer, null), cancellationToken)).Refusal,
            "Your answers for this call are saved.", cancellationToken);

    private async Task<IActionResult> ActAsync(string vin, ServiceUse use, Func<Task<Refusal?>> action, string done, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var refusal = await UseAsync(ServiceIds.BreakdownCall, use, count: true, cancellationToken) ?? await action();
        if (refusal is null)
        {
            Message = Texts[done];
            return Redirect($"/vehicles/{Vin}/breakdown");
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
        Entitled = await UseAsync(ServiceIds.BreakdownCall, ServiceUse.Read, count, cancellationToken) is null;
        if (Entitled)
        {
            Calls = await calls.ListAsync(Vin, AccessSince, cancellationToken);
        }
        return true;
    }

    /// <summary>A state, action or kind as the driver reads it (an English text key).</summary>
    public static string Label(string code) => code switch
    {
        "requested" => "Waiting for the car's data",
        "waiting" => "Waiting for an agent",
        "claimed" => "An agent is on it",
        "help_sent" => "Roadside help on its way",
        "tow_ordered" => "Tow truck on its way",
        "closed" => "Closed",
        "roadside_help" => "Roadside help",
        "tow" => "Tow",
        "solved_by_phone" => "Solved by phone",
        "emergency" => "Emergency call",
        _ => "Breakdown call",
    };
}
