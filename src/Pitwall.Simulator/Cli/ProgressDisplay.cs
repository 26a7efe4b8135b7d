using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pitwall.Simulator.Cli;

/// <summary>Shows a running fleet: a live table on a terminal, a plain line every few seconds when output is redirected.</summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PlainRefresh = TimeSpan.FromSeconds(5);

    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Shows progress until <paramref name="run"/> completes.</summary>
    public static async Task ShowAsync(SimulatedFleet fleet, Task run, RecentLinesWriter? recent)
    {
        if (recent is null)
        {
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(PlainRefresh));
                Console.WriteLine(fleet.GetStats());
            }
            return;
        }
        await AnsiConsole.Live(Render(fleet.GetStats(), recent)).AutoClear(false).StartAsync(async context =>
        {
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(LiveRefresh));
                context.UpdateTarget(Render(fleet.GetStats(), recent));
            }
        });
    }

    private static IRenderable Render(FleetStats stats, RecentLinesWriter recent)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("pitwall-sim").AddColumn("").AddColumn(new TableColumn("").RightAligned());
        Row(table, "vehicles started", $"{stats.Started} / {stats.Vehicles}");
        Row(table, "connected", $"{stats.Connected}");
        Row(table, "reports sent", $"{stats.Sent}");
        Row(table, "acked", $"{stats.Acked}");
        Row(table, "unacked", $"{stats.Unacked}");
        Row(table, "resent", $"{stats.Resent}");
        Row(table, "dropped (buffer full)", $"{stats.Dropped}");
        Row(table, "reconnects", $"{stats.Reconnects}");
        Row(table, "failed connects", $"{stats.ConnectFailures}");
        Row(table, "server errors", $"{stats.ServerErrors}");
        Row(table, "pairing codes shown", $"{stats.PairingCodes}");
        var lines = recent.Snapshot();
        var log = new Panel(lines.Count == 0 ? new Text("(nothing yet)") : new Text(string.Join('\n', lines)))
            .Header("recent").Border(BoxBorder.Rounded).Expand();
        return new Rows(table, log, new Text("Ctrl+C stops the fleet."));
    }

    private static void Row(Table table, string name, string value) => table.AddRow(new Text(name), new Text(value));
}
