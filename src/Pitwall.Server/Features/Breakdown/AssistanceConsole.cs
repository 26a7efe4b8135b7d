using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>The console: the queue and the live events here, every change through <see cref="AssistanceWorkflow"/>.</summary>
internal sealed class AssistanceConsole(AssistanceWorkflow workflow, AssistanceCaseStore store, AssistanceFeed feed, TimeProvider time) : IAssistanceConsole
{
    public async Task<IReadOnlyList<QueueEntryResponse>> QueueAsync(string agentId, bool closed, int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return [.. (await store.QueueAsync(closed, Math.Clamp(limit, 1, 500), cancellationToken)).Select(k => CaseViews.Entry(k, agentId, now))];
    }

    public Task<(CaseResponse? Case, Refusal? Refusal)> CaseAsync(string agentId, string id, CancellationToken cancellationToken) =>
        workflow.CaseAsync(agentId, id, cancellationToken);

    public Task<(IReadOnlyList<TimelineEntryResponse>? Timeline, Refusal? Refusal)> TimelineAsync(string agentId, string id, CancellationToken cancellationToken) =>
        workflow.TimelineAsync(agentId, id, cancellationToken);

    public Task<(CaseResponse? Case, Refusal? Refusal)> ClaimAsync(string agentId, string id, CancellationToken cancellationToken) =>
        workflow.ClaimAsync(agentId, id, cancellationToken);

    public Task<(CaseResponse? Case, Refusal? Refusal)> NoteAsync(string agentId, string id, string? note, CancellationToken cancellationToken) =>
        workflow.NoteAsync(agentId, id, note, cancellationToken);

    public Task<(LiveDiagnosisAskedResponse? Asked, Refusal? Refusal)> AskLiveDiagnosisAsync(
        string agentId, string id, IReadOnlyList<string>? values, CancellationToken cancellationToken) =>
        workflow.AskLiveDiagnosisAsync(agentId, id, values, cancellationToken);

    public Task<(CaseResponse? Case, Refusal? Refusal)> ActAsync(string agentId, string id, CaseActionRequest request, CancellationToken cancellationToken) =>
        workflow.ActAsync(agentId, id, request, cancellationToken);

    public Task<(CaseResponse? Case, Refusal? Refusal)> CloseAsync(string agentId, string id, string? note, CancellationToken cancellationToken) =>
        workflow.CloseAsync(agentId, id, note, cancellationToken);

    public async IAsyncEnumerable<SseItem<object>> EventsAsync(string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = feed.Subscribe(lastEventId);
        yield return new SseItem<object>(new { }, "ready");
        await foreach (var e in subscription.ReadAllAsync(cancellationToken))
        {
            yield return new SseItem<object>(e.Data, e.Type) { EventId = e.EventId };
        }
    }
}
