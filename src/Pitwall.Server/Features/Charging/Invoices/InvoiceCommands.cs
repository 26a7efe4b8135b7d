using System.CommandLine;
using System.Text.Json;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary><c>pitwall admin invoice-run [--period 2026-11]</c>: the monthly invoice run by hand (idempotent, as the job's).</summary>
public static class InvoiceCommands
{
    public static IEnumerable<Command> Create(AppFactory factory, Option<string?> database)
    {
        var period = new Option<string?>("--period") { Description = "The month to invoice, yyyy-MM; default: the last closed month." };
        var run = new Command("invoice-run", "Issue the charging invoices of a month that are missing and collect open payments; prints the counts as JSON.") { period };
        run.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var invoices = app.Services.GetRequiredService<InvoiceRun>();
            var month = result.GetValue(period) is { } label ? InvoicePeriod.Parse(label, invoices.Zone) : invoices.LastClosedPeriod();
            if (month is null || !invoices.IsOver(month))
            {
                await Console.Error.WriteLineAsync("--period is a month that is over, as yyyy-MM, e.g. 2026-11.");
                return 1;
            }
            Console.WriteLine(JsonSerializer.Serialize(await invoices.RunAsync(month, ct), InvoiceStore.Json));
            return 0;
        }));
        return [run];
    }
}
