using System.Net.ServerSentEvents;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>The assistance centre's console as the API and the portal's assistance pages use it (F2), for the signed-in agent — the
/// same rules either way: a case another agent holds reads as absent, the data shows only as far as the driver consented.</summary>
public interface IAssistanceConsole
{
    /// <summary>Emergency calls first, then breakdown calls by waiting time; <paramref name="closed"/>: the latest closed ones.</summary>
    Task<IReadOnlyList<QueueEntryResponse>> QueueAsync(string agentId, bool closed, int limit, CancellationToken cancellationToken);

    Task<(CaseResponse? Case, Refusal? Refusal)> CaseAsync(string agentId, string id, CancellationToken cancellationToken);

    Task<(IReadOnlyList<TimelineEntryResponse>? Timeline, Refusal? Refusal)> TimelineAsync(string agentId, string id, CancellationToken cancellationToken);

    Task<(CaseResponse? Case, Refusal? Refusal)> ClaimAsync(string agentId, string id, CancellationToken cancellationToken);

    Task<(CaseResponse? Case, Refusal? Refusal)> NoteAsync(string agentId, string id, string? note, CancellationToken cancellationToken);

    Task<(LiveDiagnosisAskedResponse? Asked, Refusal? Refusal)> AskLiveDiagnosisAsync(
        string agentId, string id, IReadOnlyList<string>? values, CancellationToken cancellationToken);

    Task<(CaseResponse? Case, Refusal? Refusal)> ActAsync(string agentId, string id, CaseActionRequest request, CancellationToken cancellationToken);

    Task<(CaseResponse? Case, Refusal? Refusal)> CloseAsync(string agentId, string id, string? note, CancellationToken cancellationToken);

    /// <summary>The live queue's events (<c>ready</c> first): assistance.case_opened, assistance.case_updated.</summary>
    /// <param name="lastEventId">The last event the console saw (SSE <c>Last-Event-ID</c>): what it missed since comes first.</param>
    IAsyncEnumerable<SseItem<object>> EventsAsync(string? lastEventId, CancellationToken cancellationToken);
}

/// <summary>The driver's breakdown calls as the API and the portal's owner page use them (F2). The caller has passed the
/// vehicle-service gate; <c>since</c> is when the account got the car.</summary>
public interface IBreakdownCalls
{
    Task<IReadOnlyList<DriverCallResponse>> ListAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken);

    Task<(DriverCallResponse? Call, Refusal? Refusal)> GetAsync(string vin, DateTimeOffset since, string id, CancellationToken cancellationToken);

    Task<(DriverCallResponse? Call, Refusal? Refusal)> StartAsync(
        string accountId, string vin, DateTimeOffset since, StartBreakdownCallRequest request, CancellationToken cancellationToken);

    Task<(DriverCallResponse? Call, Refusal? Refusal)> ConsentAsync(
        string accountId, string vin, DateTimeOffset since, string id, BreakdownConsentRequest request, CancellationToken cancellationToken);
}
