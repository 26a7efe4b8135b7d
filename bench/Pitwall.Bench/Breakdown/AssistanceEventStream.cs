using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Pitwall.Bench.Breakdown;

/// <summary>
/// An assistance agent's live queue, <c>GET /api/v1/assistance/events</c> (Server-Sent Events; the portal's queue page reads the same
/// feed): every <c>assistance.case_opened</c> is stamped on arrival under its case id, every <c>assistance.case_updated</c> that
/// carries a live diagnosis's answer under its request id. Newly opened breakdown cases wait in <see cref="OpenedBreakdowns"/> for
/// the agent's live-diagnosis requests.
/// </summary>
internal sealed class AssistanceEventStream : SseStream
{
    private readonly ConcurrentDictionary<string, long> _opened = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _answers = new(StringComparer.Ordinal);
    private long _duplicates;
    private long _updates;

    /// <summary>Breakdown cases as they were opened (id, arrival in Stopwatch ticks).</summary>
    public ConcurrentQueue<(string Id, long At)> OpenedBreakdowns { get; } = new();

    public long CasesOpened => _opened.Count;

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>assistance.case_updated events (claims, live diagnoses and others).</summary>
    public long Updates => Interlocked.Read(ref _updates);

    public bool TryGetOpened(string caseId, out long at) => _opened.TryGetValue(caseId, out at);

    public bool TryGetAnswer(string requestId, out long at) => _answers.TryGetValue(requestId, out at);

    public static Task<AssistanceEventStream> OpenAsync(HttpClient http, AuthenticationHeaderValue bearer, CancellationToken cancellationToken) =>
        OpenAsync(new AssistanceEventStream(), http, "/api/v1/assistance/events", bearer, cancellationToken);

    protected override void OnEvent(string type, string data, long at)
    {
        if (type is not ("assistance.case_opened" or "assistance.case_updated"))
        {
            return;
        }
        using var json = JsonDocument.Parse(data);
        var id = json.RootElement.GetProperty("id").GetString()!;
        if (type == "assistance.case_opened")
        {
            if (!_opened.TryAdd(id, at))
            {
                Interlocked.Increment(ref _duplicates);
            }
            else if (json.RootElement.GetProperty("kind").GetString() == "breakdown")
            {
                OpenedBreakdowns.Enqueue((id, at));
            }
            return;
        }
        Interlocked.Increment(ref _updates);
        if (json.RootElement.TryGetProperty("liveDiagnosis", out var request) && request.GetString() is { } requestId)
        {
            _answers.TryAdd(requestId, at);
        }
    }
}
