using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// Car Security for the owner (E1, E3, E4): the car's theft cases since the user has had it, "report a theft" (the security
/// centre opens a case and the car starts tracking), and the trigger reasons, each of which the primary user may switch off
/// for a time (never all at once), with the monthly health check. Without Car Security a reported theft is only noted (B4: the
/// package cannot be bought for it) until the owner says the car is back. The same <see cref="SocWorkflow"/> and rules as
/// <c>/api/v1/vehicles/{vin}/car-security</c> and <c>/theft-cases</c>.
/// </summary>
internal sealed class SecurityModel(
    VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, OwnerCarSecurity workflow, TheftCaseStore store, UncoveredThefts uncovered,
    IOptions<CarSecurityOptions> options, TimeProvider time)
    : VehiclePage(vehicles, issuer, t)
{
    /// <summary>Whether the car's packages include Car Security.</summary>
    public bool Entitled { get; private set; }

    public CarSecurityResponse? Settings { get; private set; }

    public IReadOnlyList<OwnerCaseResponse> Cases { get; private set; } = [];

    /// <summary>Thefts while the car had no Car Security (B4), newest first.</summary>
    public IReadOnlyList<UncoveredTheftResponse> Uncovered { get; private set; } = [];

    /// <summary>A theft without Car Security that lasts: nothing more to report, and the package cannot be bought.</summary>
    public UncoveredTheftResponse? OngoingUncovered => Uncovered.FirstOrDefault(u => u.EndedAt is null);

    public bool IsPrimary => Role == VehicleRole.Primary;

    /// <summary>A case is open or the car is in theft mode: nothing to report.</summary>
    public bool OpenCase => Cases.Any(c => c.State != CaseStates.Closed);

    public int MaxHours => (int)options.Value.MaxSuspension.TotalHours;

    [BindProperty]
    public string? Circumstances { get; set; }

    /// <summary>The trigger reason the posted form is about.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public double? Hours { get; set; }

    /// <summary>The theft without Car Security the posted form is about.</summary>
    [BindProperty]
    public string? Incident { get; set; }

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: true, cancellationToken) ? Page() : NotFound();

    /// <summary>The same page for the live refresh, which takes only the panels out of it (and leaves the next page's
    /// message alone: <see cref="PanelRefreshTempData"/>).</summary>
    public async Task<IActionResult> OnGetPanelsAsync(string vin, CancellationToken cancellationToken) =>
        await LoadAsync(vin, count: false, cancellationToken) ? Page() : NotFound();

    /// <summary>Reports the car stolen (the API's <c>POST /theft-cases</c>).</summary>
    public async Task<IActionResult> OnPostReportAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var (_, notCovered, refusal) = await UseVehicleAsync(primaryUserOnly: true, cancellationToken) is { } refused
            ? (null, null, refused)
            : await workflow.ReportTheftAsync(AccountId, Vin, Circumstances, CancellationToken.None);
        if (refusal is null)
        {
            Message = notCovered is null
                ? Texts["Theft reported. The security centre tracks your car and will call you on your stored numbers."]
                : Texts["Theft noted. Without Car Security nobody tracks your car: report it to the police."];
            return Redirect(Here);
        }
        Refused(refusal, nameof(Circumstances));
        await LoadPanelsAsync(cancellationToken);
        return Page();
    }

    /// <summary>The car reported stolen without Car Security is back (the API's <c>POST /uncovered-thefts/{id}/recovered</c>).</summary>
    public async Task<IActionResult> OnPostRecoveredAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var (_, refusal) = await UseVehicleAsync(primaryUserOnly: true, cancellationToken) is { } refused
            ? (null, refused)
            : await workflow.RecoveredWithoutCarSecurityAsync(Vin, Incident ?? "", CancellationToken.None);
        if (refusal is null)
        {
            Message = Texts["Good to have it back. Car Security can be bought again."];
            return Redirect(Here);
        }
        Refused(refusal, nameof(Incident));
        await LoadPanelsAsync(cancellationToken);
        return Page();
    }

    /// <summary>Switches one trigger reason off for a number of hours (the API's <c>PUT /car-security/triggers/{reason}</c>).</summary>
    public async Task<IActionResult> OnPostSuspendAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (Hours is not { } hours || double.IsNaN(hours) || hours < 1 || hours > MaxHours)
        {
            ModelState.AddModelError(nameof(Hours), Texts["Between 1 and {0} hours.", MaxHours]);
        }
        else
        {
            var until = time.GetUtcNow().AddHours(hours);
            var (_, refusal) = await SetTriggerAsync(until, cancellationToken);
            if (refusal is null)
            {
                Message = Texts["Switched off until {0}: {1}. The car gets it with its next connection.", ConsoleFormat.When(until), Texts[ReasonName(Reason!)]];
                return Redirect(Here);
            }
            Refused(refusal, nameof(Hours));
        }
        await LoadPanelsAsync(cancellationToken);
        return Page();
    }

    /// <summary>Switches a trigger reason on again.</summary>
    public async Task<IActionResult> OnPostResumeAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var (_, refusal) = await SetTriggerAsync(null, cancellationToken);
        if (refusal is null)
        {
            Message = Texts["Switched on again: {0}.", Texts[ReasonName(Reason!)]];
            return Redirect(Here);
        }
        Refused(refusal, nameof(Hours));
        await LoadPanelsAsync(cancellationToken);
        return Page();
    }

    private string Here => $"/vehicles/{Vin}/security";

    /// <summary>The trigger switch behind the gate, as the API's <c>PUT /car-security/triggers/{reason}</c>.</summary>
    private async Task<(CarSecurityResponse? Settings, Refusal? Refusal)> SetTriggerAsync(DateTimeOffset? until, CancellationToken cancellationToken) =>
        await UseAsync(ServiceIds.CarSecurity, ServiceUse.PrimaryOnly, count: true, cancellationToken) is { } refused
            ? (null, refused)
            : await workflow.SetTriggerAsync(Vin, Reason ?? "", until, CancellationToken.None);

    /// <summary>A refusal of the workflow next to the form's field, in the page's language where the portal has the words.</summary>
    private void Refused(Refusal refusal, string field) => ShowRefusal(refusal, Texts, _ => field, field);

    /// <param name="count">Whether showing the page counts as a use of Car Security (not its live refresh).</param>
    private async Task<bool> LoadAsync(string vin, bool count, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return false;
        }
        await LoadPanelsAsync(cancellationToken, count);
        return true;
    }

    /// <summary>What the page shows of the car <see cref="VehiclePage.FindAsync"/> found.</summary>
    private async Task LoadPanelsAsync(CancellationToken cancellationToken, bool count = false)
    {
        Entitled = await UseAsync(ServiceIds.CarSecurity, ServiceUse.Read, count, cancellationToken) is null;
        Settings = await workflow.SettingsAsync(Vin, cancellationToken);
        Cases = [.. (await store.ForVehicleAsync(Vin, AccessSince, cancellationToken)).Select(OwnerCaseResponse.From)];
        Uncovered = [.. (await uncovered.ForVehicleAsync(Vin, AccessSince, cancellationToken)).Select(UncoveredTheftResponse.From)];
    }

    public static string ReasonName(string reason) => reason switch
    {
        TheftReasons.UnauthorisedMovement => "Movement without the key",
        TheftReasons.Tampering => "Tampering (antennas, battery, tracking unit)",
        TheftReasons.Alarm => "The car's alarm",
        TheftReasons.RemoteRequest or UncoveredThefts.OwnerReport => "Reported stolen",
        _ => reason,
    };

    public static string StateName(OwnerCaseResponse k) => k.State switch
    {
        CaseStates.Open => "The security centre is on it",
        CaseStates.HandedOver => "Handed to the police",
        _ => k.Outcome switch
        {
            CaseOutcomes.FalseAlarm => "Closed: false alarm",
            CaseOutcomes.Recovered => "Closed: the car was recovered",
            _ => "Closed",
        },
    };

    public static string SourceName(string source) => source switch
    {
        CaseSources.Owner => "reported by you",
        CaseSources.Authority => "tracking started by the police",
        _ => "detected by the car",
    };

    public static string HoursText(double? hours) => hours is { } h ? h.ToString("0.#", CultureInfo.InvariantCulture) : "";
}
