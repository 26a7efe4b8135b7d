using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Pitwall.Simulator;

namespace Pitwall.Server.Features.Demo;

/// <summary>Once the server listens, prints where to go and how to sign in, then drives the demo fleet against it.</summary>
internal sealed class DemoFleet(
    IOptions<DemoOptions> options, IConfiguration configuration, IServer server, IHostApplicationLifetime lifetime, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        if (!demo.Enabled)
        {
            return;
        }
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        var address = LocalAddress(server.Features.Get<IServerAddressesFeature>()!.Addresses);
        await Console.Out.WriteLineAsync($"""

            Pitwall demo is running at {address}
              sign in:   {DemoModule.OwnerEmail} / {DemoOptions.Password}   (also soc@…, police@… and admin@demo.pitwall.dev)
              API:       {address}/api/docs
              fleet:     {demo.Vehicles} simulated cars, {Math.Min(demo.PairedWithOwner, demo.Vehicles)} of them paired with the demo owner

            """);
        if (demo.Vehicles == 0)
        {
            return;
        }
        // The software updates' key directory (Pitwall:SoftwareUpdates:KeyDirectory, its default as there).
        var keys = configuration["Pitwall:SoftwareUpdates:KeyDirectory"] is { Length: > 0 } configured ? configured : "./data/update-keys";
        await using var fleet = new SimulatedFleet(new FleetOptions
        {
            Server = new Uri(address),
            Count = demo.Vehicles,
            FleetSecret = demo.FleetSecret,
            PeriodicInterval = TimeSpan.FromSeconds(30),
            TimeProvider = time,
            Output = Console.Out,
            // The cars trust the server's first roots (as from the factory) and verify every update against the real repositories.
            TrustedUpdateRoot = FirstRoot(keys),
            TrustedImageRoot = FirstRoot(Path.Combine(keys, "image")),
            ManifestKeys = true,
        });
        await fleet.RunAsync(stoppingToken);
    }

    /// <summary>The first root version in a key directory (<c>root/1.root.json</c>), or null when no keys were made.</summary>
    internal static string? FirstRoot(string directory) => Path.Combine(directory, "root", "1.root.json") is var file && File.Exists(file) ? File.ReadAllText(file) : null;

    /// <summary>The first http address, with a wildcard host made into one a browser can open.</summary>
    internal static string LocalAddress(IEnumerable<string> addresses)
    {
        var first = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.First();
        var uri = new UriBuilder(first);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
        {
            uri.Host = "localhost";
        }
        return uri.Uri.ToString().TrimEnd('/');
    }
}
