using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Pitwall.Bench.Charging;

internal sealed record ChargingSettings(
    string WorkDirectory, string ServerDll, int Accounts, int CdrsPerAccount, double AuthRate, TimeSpan Warmup, TimeSpan Duration, int Cdrs,
    int CdrConcurrency, IReadOnlyList<string> Only, int Port, TimeSpan QuietWait)
{
    public bool Runs(string part) => Only.Contains("all") || Only.Contains(part);
}

/// <summary>
/// The Charging Service's speed (issue 23; bench/README.md §9), Pitwall in its own process (<c>pitwall serve</c>, SQLite) and the
/// operator's side played by this process over HTTP on loopback with the partner's token C:
/// (1) real-time authorisation, <c>POST /ocpi/2.2.1/tokens/{uid}/authorize</c> for random cards of all accounts, open loop at
/// <c>--auth-rate</c>, latency from the scheduled send time; beside it the ceiling, an authenticated OCPI request that does nothing
/// (<c>GET /ocpi/versions</c>: HTTP, the token check, the envelope) at the same rate;
/// (2) CDR intake, <c>POST /ocpi/2.2.1/cdrs</c> closed loop with <c>--cdr-concurrency</c> in flight; beside it the ceiling, the same
/// rows inserted into the same table by one connection, one transaction each (as each POST commits one);
/// (3) the monthly invoice run, <c>pitwall admin invoice-run</c> over every account with its <c>--cdrs-per-account</c> CDRs of the last
/// closed month; beside it the ceiling, the same reads and writes (each account's CDRs read, one invoice row written, its CDRs marked,
/// a transaction per account) in plain SQL on a copy of the same database.
/// The data (operator, accounts, cars, packages, cards, the month's CDRs) is written straight into the migrated database, untimed.
/// </summary>
internal static class ChargingBenchmark
{
    public static async Task<int> RunAsync(ChargingSettings s)
    {
        Directory.CreateDirectory(s.WorkDirectory);
        var server = new PitwallServer(s.ServerDll, s.WorkDirectory);
        var database = Path.Combine(s.WorkDirectory, "charging.db");
        PitwallServer.DeleteDatabase(database);
        await RunPitwallAsync(s, ["migrate", "--database", $"Data Source={database}"], "charging-migrate", TimeSpan.FromMinutes(5));
        var now = DateTimeOffset.UtcNow;
        var thisMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var lastMonth = thisMonth.AddMonths(-1);
        var period = lastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var fill = Stopwatch.StartNew();
        Console.WriteLine($"Filling {s.Accounts:N0} accounts (car, Charging Service, contract id, RFID card, payment card) …");
        ChargingData.FillAccounts(database, s.Accounts, now);
        if (s.Runs("invoices"))
        {
            Console.WriteLine($"Filling {s.Accounts * (long)s.CdrsPerAccount:N0} CDRs of {period} …");
            ChargingData.FillCdrs(database, s.Accounts, s.CdrsPerAccount, lastMonth.AddHours(2), thisMonth.AddHours(-2), thisMonth.AddHours(-1));
        }
        PitwallServer.Checkpoint(database);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  setup {fill.Elapsed.TotalSeconds:F0} s, database {new FileInfo(database).Length / 1e6:F0} MB"));

        var lines = new List<string>();
        if (s.Runs("auth") || s.Runs("cdrs"))
        {
            using var served = await server.StartAsync(s.Port, database, "charging-server",
                new Dictionary<string, string> { ["Charging__InvoiceJob"] = "false" }); // the run is measured below, not by the hourly job
            var baseUrl = new Uri($"http://127.0.0.1:{s.Port}");
            if (s.Runs("auth"))
            {
                lines.AddRange(await AuthorisationAsync(s, baseUrl));
            }
            if (s.Runs("cdrs"))
            {
                lines.AddRange(await CdrIntakeAsync(s, baseUrl, database, now));
            }
            served.Kill();
        }
        if (s.Runs("invoices"))
        {
            lines.AddRange(await InvoiceRunAsync(s, database, period, thisMonth));
        }
        Console.WriteLine();
        Console.WriteLine($"Results ({s.Accounts:N0} accounts; Environment.ProcessorCount = {Environment.ProcessorCount}):");
        foreach (var line in lines)
        {
            Console.WriteLine("  " + line);
        }
        await File.WriteAllLinesAsync(Path.Combine(s.WorkDirectory, "charging-results.txt"), lines);
        return 0;
    }

    private static async Task<IEnumerable<string>> AuthorisationAsync(ChargingSettings s, Uri baseUrl)
    {
        using var http = OcpiLoad.Client(baseUrl);
        var random = new Random(23);
        var lines = new List<string>();
        foreach (var (name, make) in new (string, Func<HttpRequestMessage>)[]
                 {
                     ("ceiling: GET /ocpi/versions (token check + envelope)", () => new HttpRequestMessage(HttpMethod.Get, "/ocpi/versions")),
                     ("POST /ocpi/2.2.1/tokens/{uid}/authorize", () => new HttpRequestMessage(HttpMethod.Post,
                         $"/ocpi/2.2.1/tokens/{ChargingData.Uid(random.Next(s.Accounts))}/authorize?type=RFID")
                     {
                         Content = new StringContent("""{"location_id":"BNA00001","evse_uids":["BNA00001-1"]}""", Encoding.UTF8, "application/json"),
                     }),
                 })
        {
            await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {s.AuthRate:F0}/s, {s.Warmup.TotalSeconds:F0} s warm-up, {s.Duration.TotalSeconds:F0} s measured …"));
            var other = new OtherLoad();
            var result = await OcpiLoad.OpenLoopAsync(http, make, s.AuthRate, s.Warmup, s.Duration, body => body.Contains("\"ALLOWED\"", StringComparison.Ordinal)
                || !body.Contains("allowed", StringComparison.Ordinal));
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{name}: {result.Count:N0} requests at {result.Count / s.Duration.TotalSeconds:F0}/s, p50 {result.P50:F1} ms, p99 {result.P99:F1} ms, max {result.Max:F0} ms, " +
                $"{result.Failed} failed; other processes {other.Cores():F2} cores");
            Console.WriteLine("  " + line);
            lines.Add(line);
        }
        return lines;
    }

    private static async Task<IEnumerable<string>> CdrIntakeAsync(ChargingSettings s, Uri baseUrl, string database, DateTimeOffset now)
    {
        using var http = OcpiLoad.Client(baseUrl);
        await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        Console.WriteLine($"POST /ocpi/2.2.1/cdrs: {s.Cdrs:N0} CDRs, {s.CdrConcurrency} in flight …");
        var other = new OtherLoad();
        var start = now.AddHours(-3);
        var next = -1;
        var result = await OcpiLoad.ClosedLoopAsync(http, s.Cdrs, s.CdrConcurrency, () =>
        {
            var i = Interlocked.Increment(ref next);
            var cdr = ChargingData.Cdr(string.Create(CultureInfo.InvariantCulture, $"CDR-LIVE-{i:D8}"), i % s.Accounts, start, start.AddMinutes(40), 12.5m, now);
            return new HttpRequestMessage(HttpMethod.Post, "/ocpi/2.2.1/cdrs") { Content = new StringContent(cdr.ToJsonString(), Encoding.UTF8, "application/json") };
        }, HttpStatusCode.Created);
        var perMinute = result.Count / result.Seconds * 60;
        var intake = string.Create(CultureInfo.InvariantCulture,
            $"POST /ocpi/2.2.1/cdrs: {result.Count:N0} stored in {result.Seconds:F1} s = {perMinute:N0} CDRs/min, p50 {result.P50:F1} ms, p99 {result.P99:F1} ms, " +
            $"{result.Failed} failed; other processes {other.Cores():F2} cores");
        Console.WriteLine("  " + intake);
        await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        var ceilingOther = new OtherLoad();
        var (rows, seconds) = ChargingCeilings.CdrInserts(database, s.Cdrs, s.Accounts, start, now);
        var ceiling = string.Create(CultureInfo.InvariantCulture,
            $"ceiling: the same CDR rows, one INSERT + COMMIT each, one connection (server running, idle): {rows:N0} in {seconds:F1} s = {rows / seconds * 60:N0} rows/min; " +
            $"other processes {ceilingOther.Cores():F2} cores");
        Console.WriteLine("  " + ceiling);
        return [intake, ceiling];
    }

    private static async Task<IEnumerable<string>> InvoiceRunAsync(ChargingSettings s, string database, string period, DateTimeOffset periodEnd)
    {
        var copy = Path.Combine(s.WorkDirectory, "charging-ceiling.db");
        PitwallServer.CopyDatabase(database, copy);
        await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        Console.WriteLine($"pitwall admin invoice-run --period {period}: {s.Accounts:N0} accounts × {s.CdrsPerAccount} CDRs …");
        var other = new OtherLoad();
        var watch = Stopwatch.StartNew();
        var output = await RunPitwallAsync(s, ["admin", "invoice-run", "--period", period, "--database", $"Data Source={database}"], "charging-invoice-run",
            TimeSpan.FromHours(2), new Dictionary<string, string> { ["Charging__InvoiceJob"] = "false" });
        var run = string.Create(CultureInfo.InvariantCulture,
            $"invoice run (pitwall admin invoice-run, process start included): {watch.Elapsed.TotalSeconds:F0} s for {s.Accounts:N0} accounts = " +
            $"{s.Accounts / watch.Elapsed.TotalSeconds:N0} invoices/s; answer {output.Trim().Split('\n')[^1]}; other processes {other.Cores():F2} cores");
        Console.WriteLine("  " + run);
        await OtherLoad.WaitQuietAsync(s.QuietWait, Console.Out);
        var ceilingOther = new OtherLoad();
        var (invoices, seconds) = ChargingCeilings.InvoiceWrites(copy, period, periodEnd);
        var ceiling = string.Create(CultureInfo.InvariantCulture,
            $"ceiling: the same reads and writes in plain SQL, a transaction per account, one connection: {invoices:N0} invoices in {seconds:F0} s = " +
            $"{invoices / seconds:N0}/s; other processes {ceilingOther.Cores():F2} cores");
        Console.WriteLine("  " + ceiling);
        PitwallServer.DeleteDatabase(copy);
        return [run, ceiling];
    }

    /// <summary>Runs <c>pitwall …</c> to its end; its output.</summary>
    private static async Task<string> RunPitwallAsync(ChargingSettings s, string[] arguments, string logName, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = PitwallServer.BenchmarkEnvironment();
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        using var process = ChildProcess.Start(ChildProcess.DotnetHost(), [s.ServerDll, .. arguments], environment, s.WorkDirectory,
            Path.Combine(s.WorkDirectory, logName + ".log"));
        if (!await process.WaitForExitAsync(timeout))
        {
            process.Kill();
            throw new TimeoutException($"pitwall {arguments[0]} did not finish; see {process.LogPath}.");
        }
        return process.Tail(5);
    }
}
