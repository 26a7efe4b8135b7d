using System.Diagnostics;
using System.Globalization;

namespace Pitwall.Bench;

/// <summary>
/// The reconnect storm (issue 17), after the idle reading of the connections benchmark: the server is killed with every
/// car connected (SIGKILL, as a crash or an instance lost) and started again on the same database and port; the holders'
/// cars come back with pitwall-sim's back-off (<see cref="Reconnect"/>), each sends one status report and waits for its
/// ack. Measured: from the kill, and from the restarted server answering its health check, until the last car's report
/// was acked; handshakes per second; the CPU of the server and of the other processes meanwhile.
/// </summary>
internal static class ReconnectStorm
{
    public static async Task<object> RunAsync(
        ConnectionSettings s, PitwallServer server, ChildProcess pitwall, string database, IReadOnlyList<ConnectionsBenchmark.Holder> holders, int expected)
    {
        Console.WriteLine();
        Console.WriteLine($"Reconnect storm: killing the server (SIGKILL) with {expected} cars connected, starting it again on the same database …");
        var killedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var killed = Stopwatch.GetTimestamp();
        pitwall.Kill();
        using var restarted = await server.StartAsync(s.Port, database, "pitwall-connections-restarted");
        var upSeconds = Stopwatch.GetElapsedTime(killed).TotalSeconds;
        var cpu = new CpuMeter(restarted.Id);
        var other = new OtherLoad();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server up again {upSeconds:F1} s after the kill (pid {restarted.Id})"));
        var deadline = Stopwatch.GetTimestamp() + (long)(s.StormTimeout.TotalSeconds * Stopwatch.Frequency);
        var nextProgress = 0L;
        while (holders.Sum(h => h.Acked) < expected && Stopwatch.GetTimestamp() < deadline && !restarted.HasExited)
        {
            if (Stopwatch.GetTimestamp() >= nextProgress)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Stopwatch.GetElapsedTime(killed).TotalSeconds,5:F0} s: {holders.Sum(h => h.Back)} back, {holders.Sum(h => h.Acked)} acked, {holders.Sum(h => h.Retries)} failed attempts; server {ProcStats.OpenFiles(restarted.Id)} open files"));
                nextProgress = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
            }
            await Task.Delay(250);
        }
        var (cores, machine) = cpu.Stop();
        var otherCores = other.Cores();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the holders' last status lines
        var back = holders.Sum(h => h.Back);
        var acked = holders.Sum(h => h.Acked);
        var retries = holders.Sum(h => h.Retries);
        var lastAck = holders.Max(h => h.LastAckedAtMs);
        var fromKill = lastAck > 0 ? (lastAck - killedAtMs) / 1000.0 : double.NaN;
        var fromUp = fromKill - upSeconds;
        var rate = acked / fromUp;
        var complete = acked >= expected;
        Console.WriteLine();
        Console.WriteLine($"Reconnect storm ({Environment.ProcessorCount} cores; {expected} cars; back-off 0.5-1 s x 2^attempt, at most 60 s; {s.Concurrency} handshakes in flight per client process; target: all back and acked within 30 s)");
        Table.Print(["measurement", "value", "", "notes"],
        [
            ["cars back and acked", $"{acked:N0} of {expected:N0}", "", complete ? "all" : $"NOT ALL within {s.StormTimeout.TotalSeconds:F0} s"],
            ["server restart (kill to health check)", Seconds(upSeconds), "", ""],
            ["last car acked, from the kill", Seconds(fromKill), "", ""],
            ["last car acked, from the restarted server", Seconds(fromUp), "", ""],
            ["handshakes/s after the restart", rate.ToString("N0", CultureInfo.InvariantCulture) + "/s", "", "challenge + upgrade + hello/welcome + one acked report"],
            ["failed attempts", retries.ToString("N0", CultureInfo.InvariantCulture), "", "refused while down, timeouts (each backs off)"],
            ["CPU: Pitwall / machine / other processes", string.Create(CultureInfo.InvariantCulture, $"{cores[0]:F2} / {machine:F2} / {otherCores:F2} cores"), "", "from the restart to the last ack"],
        ]);
        return new { expected, back, acked, retries, upSeconds, fromKillSeconds = fromKill, fromUpSeconds = fromUp, handshakesPerSecond = rate, pitwallCores = cores[0], machineCores = machine, otherCores };
    }

    private static string Seconds(double seconds) => double.IsNaN(seconds) ? "?" : seconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
}
