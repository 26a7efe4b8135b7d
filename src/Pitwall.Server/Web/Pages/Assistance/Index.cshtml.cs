using Pitwall.Server.Features.Breakdown;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Assistance;

/// <summary>
/// The assistance centre's live queue (F2): emergency calls first, then breakdown calls by waiting time, each claimable; the
/// latest closed calls. It follows the assistance feed live (assistance-queue.js re-reads the panels). The same console as
/// <c>/api/v1/assistance/cases</c>, for the assistance_agent role only (English only, as the consoles are).
/// </summary>
internal sealed class AssistanceQueueModel(IAssistanceConsole console) : ConsoleQueuePage
{
    public IReadOnlyList<QueueEntryResponse> Queue { get; private set; } = [];

    public IReadOnlyList<QueueEntryResponse> Closed { get; private set; } = [];

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        Queue = await console.QueueAsync(AccountId, false, 200, cancellationToken);
        Closed = await console.QueueAsync(AccountId, true, 20, cancellationToken);
    }

    protected override async Task<(string? Id, Refusal? Refusal)> ClaimAsync(string id, CancellationToken cancellationToken)
    {
        var (claimed, refusal) = await console.ClaimAsync(AccountId, id, cancellationToken);
        return (claimed?.Id, refusal);
    }

    protected override string CasePath(string id) => $"/assistance/cases/{Uri.EscapeDataString(id)}";

    public static string Waiting(long seconds) => seconds < 60 ? $"{seconds} s" : seconds < 3600 ? $"{seconds / 60} min" : $"{seconds / 3600} h {seconds % 3600 / 60} min";

    public static string State(string state) => state.Replace('_', ' ');
}
