namespace Pitwall.Simulator.Cli;

/// <summary>One <c>pitwall-sim</c> run: build the fleet, show progress, stop on Ctrl+C or after the duration.</summary>
internal static class SimulatorRun
{
    public sealed record Settings(FleetOptions Fleet, TimeSpan? Duration, bool Verbose);

    public static async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }
        // On a terminal, lines go into the live display; redirected, straight to stdout.
        var recent = ProgressDisplay.IsInteractive ? new RecentLinesWriter(capacity: 10) : null;
        var output = recent ?? TextWriter.Synchronized(Console.Out);
        await using var fleet = new SimulatedFleet(settings.Fleet with
        {
            Output = output,
            Log = settings.Verbose ? output : null,
        });
        Console.WriteLine($"pitwall-sim: {settings.Fleet.Count} vehicles ({fleet.Vehicles[0].Vin} …) against {settings.Fleet.Server}, " +
                          $"seed {settings.Fleet.Seed}, {settings.Fleet.ConnectsPerSecond} connects/s");
        var run = fleet.RunAsync(stop.Token);
        await ProgressDisplay.ShowAsync(fleet, run, recent);
        var stats = await run;
        Console.WriteLine($"stopped: {stats}");
        return 0;
    }
}
