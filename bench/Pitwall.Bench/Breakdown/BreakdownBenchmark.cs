using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Pitwall.Bench.Soc;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Bench.Breakdown;

/// <summary>
/// (6) The breakdown call's speed (issue 21): breakdown and emergency calls from cars reach the assistance centre's live queue
/// (<c>GET /api/v1/assistance/events</c>, the agents' SSE stream), and an agent's live diagnosis makes its round trip (API → car →
/// answer on the queue). Two phases on one server with the same links held: first the fleet's links idle (the peer), then beside
/// the normal reports of the fleet (<see cref="BreakdownSettings.FleetEquivalent"/> cars, as in the SOC benchmark). Pitwall is
/// <c>pitwall serve</c> in its own process on a fresh SQLite database; accounts and pairings are made the way an operator and the apps
/// make them.
/// </summary>
internal static class BreakdownBenchmark
{
    private const double TargetP99Ms = 1000;

    public static async Task<int> RunAsync(BreakdownSettings s)
    {
        Directory.CreateDirectory(s.WorkDirectory);
        var ownerCount = (s.Callers + Owners.MaxCarsPerOwner - 1) / Owners.MaxCarsPerOwner;
        var server = new PitwallServer(s.ServerDll, s.WorkDirectory);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Preparing a database with {s.Callers + s.NormalCars:N0} registered cars, {ownerCount} owners and an assistance agent …"));
        var database = await server.CreateTemplateAsync("breakdown", s.Callers + s.NormalCars, s.FleetSecret);
        await Owners.CreateAsync(server, database, ownerCount, s.WorkDirectory);
        await SocSetup.CreateStaffAsync(server, database, 1, s.WorkDirectory, "assistance_agent", AgentEmail);

        var quietBefore = await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        using var served = await ServedPitwall.StartAsync(server, s.Port, database, "pitwall-breakdown", s.ServerEnvironment);
        var (pitwall, baseAddress, http, invoker, streamHttp) = (served.Process, served.BaseAddress, served.Http, served.Invoker, served.StreamHttp);

        var callerStats = new LinkStats();
        var normalStats = new LinkStats();
        var callers = await SocBenchmark.ConnectAsync(baseAddress, http, invoker, 0, s.Callers, s.FleetSecret, callerStats, "callers");
        foreach (var car in callers)
        {
            car.OnRequest = (c, frame) =>
            {
                if (frame.PayloadCase == Envelope.PayloadOneofCase.LiveDiagnosisRequest)
                {
                    _ = c.SendAsync((seq, nowMs) => Sequenced(CallFrames.LiveDiagnosis(frame.LiveDiagnosisRequest, nowMs), seq, nowMs));
                }
            };
        }
        var step = Stopwatch.GetTimestamp();
        await SocSetup.PairAllAsync(http, callers, ownerCount, (_, car, ct) => car.ServiceActive(ServiceIds.BreakdownCall).WaitAsync(TimeSpan.FromSeconds(60), ct));
        Console.WriteLine($"  {ownerCount} owners paired {s.Callers} callers in {Stopwatch.GetElapsedTime(step).TotalSeconds:F1} s (each has breakdown_call among its active services)");
        var agent = await Owners.SignInAsync(http, AgentEmail(0), CancellationToken.None);
        using var queue = await AssistanceEventStream.OpenAsync(streamHttp, agent, CancellationToken.None);
        var normalCars = await SocBenchmark.ConnectAsync(baseAddress, http, invoker, s.Callers, s.NormalCars, s.FleetSecret, normalStats, "normally reporting cars");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Pitwall holds {ProcStats.OpenFiles(pitwall.Id):N0} open files. Calls: {s.CallRate:N1}/s from {s.Callers} cars; live diagnoses {s.LiveRate:N1}/s; " +
            $"loaded phase: {s.FleetEquivalent:N0} cars × 1 report / {s.NormalInterval.TotalSeconds:F0} s = {s.NormalRate:N0}/s sent by {s.NormalCars:N0} connected cars"));

        var quiet = await new CallPhase("idle-fleet", s, callers, normalStats, null, queue, http, agent, pitwall.Id).RunAsync(Console.Out);
        var loaded = await new CallPhase("normal-load", s, callers, normalStats, new NormalTraffic(normalCars, s.NormalRate), queue, http, agent, pitwall.Id)
            .RunAsync(Console.Out);
        var failures = callers.Concat(normalCars).Where(c => c.Failure is not null).Select(c => $"{c.Vin}: {c.Failure}").ToList();
        var serverRssKb = ProcStats.RssKb(pitwall.Id);
        var streamFailure = queue.Failure;
        queue.Dispose(); // before the kill: the stream's end would read as its failure
        foreach (var car in callers.Concat(normalCars))
        {
            car.Dispose();
        }
        pitwall.Kill();
        var cases = CasesByCall(database);
        var phases = new[] { quiet, loaded }.Select(p => Summarise(p, cases, queue)).ToList();
        return await ReportAsync(s, phases, new
        {
            serverRssKb, carFailures = failures.Count, carFailureSamples = failures.Take(10).ToList(), streamFailure, queue.Duplicates,
            casesStored = cases.Count, quietBefore,
        }, failures.Count + (streamFailure is null ? 0 : 1));
    }

    public static string AgentEmail(int index) => $"agent{index:D3}@bench.pitwall.dev";

    private static Envelope Sequenced(Envelope frame, long seq, long nowMs)
    {
        frame.Seq = (ulong)seq;
        frame.SentAtMs = nowMs;
        return frame;
    }

    /// <summary>After the server was killed: each call's case id (breakdown and emergency), by the car's call id.</summary>
    private static Dictionary<string, string> CasesByCall(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT call_id, id FROM breakdown_cases UNION ALL SELECT call_id, id FROM emergency_cases";
        using var reader = command.ExecuteReader();
        var cases = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            cases[reader.GetString(0)] = reader.GetString(1);
        }
        return cases;
    }

    private sealed record PhaseSummary(CallPhaseResult Phase, Percentiles Breakdown, Percentiles Emergency, Percentiles All, long Lost, Percentiles Live);

    private static PhaseSummary Summarise(CallPhaseResult p, Dictionary<string, string> cases, AssistanceEventStream queue)
    {
        List<double> breakdown = [], emergency = [];
        long lost = 0;
        foreach (var (callId, sentAt) in p.CallsSent)
        {
            if (cases.TryGetValue(callId, out var caseId) && queue.TryGetOpened(caseId, out var at))
            {
                (IsEmergency(callId) ? emergency : breakdown).Add(Stopwatch.GetElapsedTime(sentAt, at).TotalMilliseconds);
            }
            else
            {
                lost++;
            }
        }
        return new PhaseSummary(p, Percentiles.Of(breakdown), Percentiles.Of(emergency), Percentiles.Of(breakdown.Concat(emergency)), lost, Percentiles.Of(p.LiveRoundTripsMs));
    }

    /// <summary>Odd call numbers are emergency calls (<see cref="CallPhase"/>).</summary>
    private static bool IsEmergency(string callId) => long.Parse(callId.AsSpan(callId.LastIndexOf('-') + 1), CultureInfo.InvariantCulture) % 2 == 1;

    private static async Task<int> ReportAsync(BreakdownSettings s, List<PhaseSummary> phases, object details, int broken)
    {
        string F(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
        string Ms(Percentiles p) => p.Count == 0 ? "–" : F($"{p.P50:F1} / {p.P90:F1} / {p.P99:F1} / {p.Max:F1} ms ({p.Count:N0})");
        string[] Row(string what, Func<PhaseSummary, string> value) => [what, .. phases.Select(value)];
        List<string[]> rows =
        [
            Row("normal reports sent / acked in the window", p => F($"{p.Phase.NormalSent / p.Phase.Seconds:N0}/s / {p.Phase.NormalAcked / p.Phase.Seconds:N0}/s")),
            Row("calls to the live queue p50 / p90 / p99 / max (count)", p => Ms(p.All)),
            Row("… breakdown calls", p => Ms(p.Breakdown)),
            Row("… emergency calls", p => Ms(p.Emergency)),
            Row("calls lost (no case on the queue within the grace time)", p => F($"{p.Lost:N0}")),
            Row("live diagnosis round trip p50 / p90 / p99 / max (count)", p => Ms(p.Live)),
            Row("live diagnoses unanswered / refused", p => F($"{p.Phase.LiveUnanswered:N0} / {p.Phase.LiveRefused:N0}")),
            Row("CPU: Pitwall / this client / other processes", p => F($"{p.Phase.ServerCores:F2} / {p.Phase.ClientCores:F2} / {p.Phase.OtherCores:F2} cores")),
            Row("load average (1 min) at the start / end of the window", p => F($"{p.Phase.LoadBefore} / {p.Phase.LoadAfter}")),
        ];
        Console.WriteLine();
        Console.WriteLine(F($"Breakdown and emergency calls to the assistance centre's live queue: {s.CallRate:N1} calls/s from {s.Callers} cars, {s.LiveRate:N1} live diagnoses/s; {s.NormalCars:N0} cars connected, in the loaded phase carrying {s.FleetEquivalent:N0} cars' reports ({s.NormalRate:N0}/s) ({Environment.ProcessorCount} cores; warm-up {s.Warmup.TotalSeconds:F0} s, measured {s.Duration.TotalSeconds:F0} s per phase; target p99 ≤ {TargetP99Ms:F0} ms)"));
        Table.Print(["measurement", .. phases.Select(p => p.Phase.Name)], rows);
        var loaded = phases[^1];
        var met = loaded.All.Count > 0 && loaded.All.P99 <= TargetP99Ms && loaded.Lost == 0;
        Console.WriteLine(loaded.All.Count == 0 ? "No call reached the queue in the loaded window." :
            F($"Calls to the live queue under the normal load: p99 {loaded.All.P99:F1} ms {(met ? "meets" : "misses")} the ≤ {TargetP99Ms:F0} ms target ({loaded.Lost} lost); live diagnosis round trip p99 {loaded.Live.P99:F1} ms."));
        var underRate = loaded.Phase.NormalAcked / loaded.Phase.Seconds < s.NormalRate * 0.98;
        var problem = broken > 0 || phases.Any(p => p.Lost > 0 || p.All.Count == 0) || underRate;
        if (problem)
        {
            Console.WriteLine($"PROBLEM: calls lost, {broken} car links or the queue's stream failed, or the server did not keep up with the normal load (see the JSON).");
        }
        var json = Path.Combine(s.WorkDirectory, F($"breakdown-results-{s.Callers}x{s.NormalCars}-{s.NormalRate:F0}.json"));
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
        {
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() },
            settings = new { s.Callers, s.CallRate, s.LiveRate, s.NormalCars, s.FleetEquivalent, s.NormalRate, warmupSeconds = s.Warmup.TotalSeconds, durationSeconds = s.Duration.TotalSeconds },
            phases = phases.Select(p => new
            {
                p.Phase.Name, callsMs = p.All, breakdownMs = p.Breakdown, emergencyMs = p.Emergency, p.Lost, liveMs = p.Live, p.Phase.LiveUnanswered, p.Phase.LiveRefused,
                p.Phase.NormalSent, p.Phase.NormalAcked, p.Phase.SendFailures, p.Phase.ServerCores, p.Phase.ClientCores, p.Phase.OtherCores, p.Phase.LoadBefore, p.Phase.LoadAfter,
            }),
            details,
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"Results: {json}");
        return problem ? 1 : 0;
    }
}
