using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.Breakdown;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Assistance;

/// <summary>
/// One assistance case (F2): the call, the car's position on a map, the snapshot and its diagnosis, live-diagnosis requests and
/// answers, the number to call back, actions (roadside help with its arrival, a tow with its destination dealer, solved by phone),
/// notes, closing, the timeline — as far as the driver consented. The same console as <c>/api/v1/assistance/cases/{id}</c>.
/// </summary>
internal sealed class AssistanceCaseModel(IAssistanceConsole console) : PortalPage
{
    public CaseResponse Case { get; private set; } = null!;

    public IReadOnlyList<TimelineEntryResponse> Timeline { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnGetPanelsAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostClaimAsync(CancellationToken cancellationToken) =>
        DoneAsync(console.ClaimAsync(AccountId, Id, cancellationToken), "You hold the case now.", cancellationToken);

    public async Task<IActionResult> OnPostLiveAsync(string? values, CancellationToken cancellationToken)
    {
        var names = (values ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (_, refusal) = await console.AskLiveDiagnosisAsync(AccountId, Id, names, cancellationToken);
        return await AfterAsync(refusal, "The car was asked for a live diagnosis; its answer appears in the timeline.", cancellationToken);
    }

    public Task<IActionResult> OnPostActAsync(string? action, int? etaMinutes, string? dealerId, string? note, CancellationToken cancellationToken) =>
        DoneAsync(console.ActAsync(AccountId, Id, new CaseActionRequest(action, etaMinutes, string.IsNullOrWhiteSpace(dealerId) ? null : dealerId.Trim(), note), cancellationToken),
            "Done; the driver has been told.", cancellationToken);

    public Task<IActionResult> OnPostNoteAsync(string? note, CancellationToken cancellationToken) =>
        DoneAsync(console.NoteAsync(AccountId, Id, note, cancellationToken), "Note added.", cancellationToken);

    public Task<IActionResult> OnPostCloseAsync(string? note, CancellationToken cancellationToken) =>
        DoneAsync(console.CloseAsync(AccountId, Id, note, cancellationToken), "The case is closed.", cancellationToken);

    private async Task<IActionResult> DoneAsync(Task<(CaseResponse? Case, Refusal? Refusal)> change, string message, CancellationToken cancellationToken) =>
        await AfterAsync((await change).Refusal, message, cancellationToken);

    private async Task<IActionResult> AfterAsync(Refusal? refusal, string message, CancellationToken cancellationToken)
    {
        if (refusal is null)
        {
            Message = message;
            return Redirect($"/assistance/cases/{Uri.EscapeDataString(Id)}");
        }
        ShowRefusal(refusal);
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var (found, _) = await console.CaseAsync(AccountId, Id, cancellationToken);
        if (found is null)
        {
            return false;
        }
        Case = found;
        Timeline = (await console.TimelineAsync(AccountId, Id, cancellationToken)).Timeline ?? [];
        return true;
    }

    public static string Words(string code) => code.Replace('_', ' ');

    public static string Number(double value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
