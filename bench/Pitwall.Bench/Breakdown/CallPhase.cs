using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Bench.Soc;

namespace Pitwall.Bench.Breakdown;

/// <summary>What one phase measured: the calls' and live diagnoses' stamps (matched to the cases after the run) and the readings.</summary>
internal sealed record CallPhaseResult(
    string Name, double Seconds, IReadOnlyDictionary<string, long> CallsSent, IReadOnlyList<double> LiveRoundTripsMs, long LiveAsked, long LiveUnanswered,
    long LiveRefused, long NormalSent, long NormalAcked, long SendFailures, double ServerCores, double ClientCores, double OtherCores, string LoadBefore, string LoadAfter);

/// <summary>
/// One measuring phase, open loop from one pacer (about once a millisecond it sends what is due): the caller cars take turns raising a
/// breakdown call and an emergency call, alternately, at <see cref="BreakdownSettings.CallRate"/>; the agent asks for a live diagnosis
/// on breakdown cases opened at least a second before, at <see cref="BreakdownSettings.LiveRate"/> (claim first, then the request;
/// the round trip runs from the request's POST to the answer's <c>assistance.case_updated</c> on the live queue); with
/// <paramref name="normal"/>, the fleet's normal reports go on beside. A call's stamp is taken just before its frame is serialised;
/// its case id is learnt from the database after the run. After the window the calls stop and the phase waits until every call's
/// case is on the queue and every live diagnosis answered, or the grace time passed.
/// </summary>
internal sealed class CallPhase(
    string name, BreakdownSettings s, LinkCar[] callers, LinkStats normalStats, NormalTraffic? normal, AssistanceEventStream queue, HttpClient http,
    AuthenticationHeaderValue agent, int serverPid)
{
    private readonly ConcurrentDictionary<string, long> _callsSent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _liveAsked = new(StringComparer.Ordinal);
    private readonly long _casesBefore = queue.CasesOpened;
    private long _calls;
    private long _callsOut;
    private long _liveRefused;
    private long _sendFailures;

    public async Task<CallPhaseResult> RunAsync(TextWriter progress)
    {
        var window = new LoadWindow(s.Warmup, s.Duration, s.Grace, serverPid);
        var (start, measureStart, measureEnd) = (window.Start, window.MeasureStart, window.MeasureEnd);
        long normalSentAt0 = 0, normalAckedAt0 = 0, normalSent = 0, normalAcked = 0;
        long liveIssued = 0;
        var reportAt = start;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            var measuring = window.Measuring(now);
            if (window.Begins(now))
            {
                (normalSentAt0, normalAckedAt0) = (normal?.Sent ?? 0, Interlocked.Read(ref normalStats.Acked));
                normalStats.Measuring = true;
            }
            if (window.Ends(now))
            {
                (normalSent, normalAcked) = ((normal?.Sent ?? 0) - normalSentAt0, Interlocked.Read(ref normalStats.Acked) - normalAckedAt0);
                normalStats.Measuring = false;
            }
            if (now >= measureEnd &&
                (now >= window.GraceEnd || (queue.CasesOpened - _casesBefore >= Interlocked.Read(ref _callsOut) && _liveAsked.Keys.All(r => queue.TryGetAnswer(r, out _)))))
            {
                break;
            }
            var elapsed = (now - start) / (double)Stopwatch.Frequency;
            if (now < measureEnd)
            {
                for (var due = (long)(elapsed * s.CallRate); _calls < due; _calls++)
                {
                    _ = CallAsync(callers[(int)(_calls % callers.Length)], $"{name}-{_calls}", emergency: _calls % 2 == 1, measuring);
                }
                for (var due = (long)(elapsed * s.LiveRate); liveIssued < due && queue.OpenedBreakdowns.TryPeek(out var next) &&
                     Stopwatch.GetElapsedTime(next.At, now) >= TimeSpan.FromSeconds(1) && queue.OpenedBreakdowns.TryDequeue(out next); liveIssued++)
                {
                    _ = AskLiveDiagnosisAsync(next.Id, measuring);
                }
            }
            normal?.Pace(elapsed);
            if (Stopwatch.GetElapsedTime(reportAt, now) >= TimeSpan.FromSeconds(10))
            {
                reportAt = now;
                var phase = now < measureStart ? " (warm-up)" : now < measureEnd ? "" : " (waiting for the last events)";
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{name}] {Stopwatch.GetElapsedTime(start, now).TotalSeconds,4:F0} s  {Interlocked.Read(ref _callsOut):N0} calls sent, {queue.CasesOpened:N0} cases on the queue, {_liveAsked.Count:N0} live diagnoses asked; normal reports {normal?.Sent ?? 0:N0} sent, {Interlocked.Read(ref normalStats.Acked):N0} acked{phase}"));
            }
            await Task.Delay(1);
        }
        window.Finish();
        var roundTrips = _liveAsked.Select(a => queue.TryGetAnswer(a.Key, out var at) ? Stopwatch.GetElapsedTime(a.Value, at).TotalMilliseconds : double.NaN).ToList();
        return new CallPhaseResult(
            name, s.Duration.TotalSeconds, _callsSent, [.. roundTrips.Where(double.IsFinite)], _liveAsked.Count, roundTrips.Count(double.IsNaN),
            Interlocked.Read(ref _liveRefused), normalSent, normalAcked, Interlocked.Read(ref _sendFailures) + (normal?.Failures ?? 0),
            window.ServerCores, window.ClientCores, window.OtherCores, window.LoadBefore, window.LoadAfter);
    }

    private async Task CallAsync(LinkCar car, string callId, bool emergency, bool measuring)
    {
        Interlocked.Increment(ref _callsOut);
        var sent = await car.SendAsync((seq, nowMs) =>
        {
            var frame = emergency ? CallFrames.EmergencyCall(car.Index, callId, nowMs) : CallFrames.BreakdownCall(car.Index, callId, nowMs);
            frame.Seq = (ulong)seq;
            frame.SentAtMs = nowMs;
            if (measuring)
            {
                _callsSent[callId] = Stopwatch.GetTimestamp();
            }
            return frame;
        });
        if (sent is null)
        {
            Interlocked.Increment(ref _sendFailures);
            Interlocked.Decrement(ref _callsOut);
        }
    }

    /// <summary>The agent claims the case, then asks the car for a live diagnosis (the car's whole diagnosis set).</summary>
    private async Task AskLiveDiagnosisAsync(string caseId, bool measuring)
    {
        try
        {
            using (var claimed = await PostAsync($"/api/v1/assistance/cases/{caseId}/claim", new { }))
            {
                if (claimed.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _liveRefused);
                    return;
                }
            }
            var at = Stopwatch.GetTimestamp();
            using var asked = await PostAsync($"/api/v1/assistance/cases/{caseId}/live-diagnosis", new { values = Array.Empty<string>() });
            if (asked.StatusCode != HttpStatusCode.Accepted)
            {
                Interlocked.Increment(ref _liveRefused);
                return;
            }
            var requestId = (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString()!;
            if (measuring)
            {
                _liveAsked[requestId] = at;
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _liveRefused);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = agent;
        return await http.SendAsync(request);
    }
}
