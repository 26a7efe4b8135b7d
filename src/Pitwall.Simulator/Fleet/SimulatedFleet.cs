using System.Collections.Concurrent;

namespace Pitwall.Simulator;

/// <summary>
/// 1..100 000 <see cref="SimulatedVehicle"/>s against one server: each drives around a home near
/// <see cref="FleetOptions.Home"/>, parks, opens doors, uses and refills energy and reports on those triggers. Cars
/// connect gradually; one timer loop advances them all (no thread per car). Seeded: the same options give the same
/// cars doing the same things. Use in-process (the server's demo) or through the <c>pitwall-sim</c> command.
/// </summary>
public sealed class SimulatedFleet : IAsyncDisposable
{
    // Below this many cars a tick runs on one thread; above it, in parallel chunks of this size.
    private const int ParallelChunk = 2048;

    private readonly FleetOptions _options;
    private readonly CarRoutine[] _routines;
    private readonly FleetIncidents _incidents;
    private readonly List<HttpMessageInvoker> _ownedInvokers = [];
    private int _started;
    private int _running;

    public SimulatedFleet(FleetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        var invokers = CreateInvokers(options);
        var pacer = new ConnectPacer(options.ConnectsPerSecond, options.TimeProvider);
        var secret = System.Text.Encoding.UTF8.GetBytes(options.FleetSecret);
        _routines = new CarRoutine[options.Count];
        for (var i = 0; i < options.Count; i++)
        {
            var index = options.FirstIndex + i;
            var random = new SimRandom(unchecked(options.Seed + index), stream: 2);
            var vin = FleetVins.For(index);
            var home = options.Home.Offset(random.Between(-1, 1) * options.SpreadMetres, random.Between(-1, 1) * options.SpreadMetres);
            var car = new SimulatedVehicle(new SimulatedVehicleOptions
            {
                Server = options.Server,
                Vin = vin,
                Secret = Pitwall.Protocol.VehicleAuth.DeriveSecret(secret, vin),
                Seed = unchecked(options.Seed + index),
                TimeProvider = options.TimeProvider,
                Powertrain = random.Chance(options.ElectricShare) ? Powertrain.Electric : Powertrain.Combustion,
                StartPosition = home,
                StartHeading = random.Between(0, 360),
                StartLevel = random.Between(30, 100),
                StartOdometer = random.Between(1_000_000, 150_000_000),
                PeriodicInterval = options.PeriodicInterval,
                PollUpdatesAtStart = true,
                UpdatePollInterval = options.UpdatePollInterval,
                TrustedUpdateRoot = options.TrustedUpdateRoot,
                TrustedImageRoot = options.TrustedImageRoot,
                ManifestKey = options.ManifestKeys ? FleetManifestKeys.For(secret, vin) : null,
                MapRegion = options.MapRegion,
                MapVersion = options.MapVersion,
                PollMapsAtStart = options.MapRegion is not null,
                ExtraReportsPerSecond = options.ReportsPerSecond,
                // Load generation must not be throttled by the car itself; the server's limit is the server's business.
                MaxFramesPerSecond = Math.Max(45, options.ReportsPerSecond * 1.5 + 5),
                Http = invokers[i % invokers.Count],
                Output = options.Output,
                Log = options.Log,
                ConnectGate = pacer.WaitAsync,
                RealisticCommandTimes = true,
            });
            car.PairingCodeShown += OnPairingCodeShown;
            // Cars set off at different times, within the first two minutes.
            _routines[i] = new CarRoutine(car, random, random.Between(5, 120));
        }
        Vehicles = [.. _routines.Select(r => r.Car)];
        _incidents = new FleetIncidents(Vehicles, options);
    }

    /// <summary>A car of the fleet shows a pairing code (sender: the car; argument: the code).</summary>
    public event EventHandler<string>? PairingCodeShown;

    /// <summary>The cars, in index order (car i has VIN <see cref="FleetVins.For"/>(FirstIndex + i)).</summary>
    public IReadOnlyList<SimulatedVehicle> Vehicles { get; }

    public FleetStats GetStats()
    {
        int connected = 0;
        long queued = 0, sent = 0, resent = 0, acked = 0, unacked = 0, dropped = 0, reconnects = 0, failures = 0, errors = 0, codes = 0;
        foreach (var car in Vehicles)
        {
            connected += car.IsConnected ? 1 : 0;
            queued += car.Queued;
            sent += car.Sent;
            resent += car.Resent;
            acked += car.Acked;
            unacked += car.UnackedCount;
            dropped += car.Dropped;
            reconnects += car.Reconnects;
            failures += car.ConnectFailures;
            errors += car.ServerErrors;
            codes += car.PairingCodesShown;
        }
        return new FleetStats(Vehicles.Count, Volatile.Read(ref _started), connected, queued, sent, resent, acked, unacked, dropped,
            reconnects, failures, errors, codes);
    }

    /// <summary>
    /// Connects the cars gradually and runs them until <paramref name="cancellationToken"/> fires, then takes every
    /// car offline cleanly. Returns the final counters; cancellation is the normal way to stop, not an error.
    /// </summary>
    public async Task<FleetStats> RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("A fleet runs once.");
        }
        var time = _options.TimeProvider;
        using var timer = new PeriodicTimer(_options.TickInterval, time);
        var last = time.GetTimestamp();
        // Start the first car at once, the rest at the connect rate.
        var startBudget = 1.0;
        try
        {
            do
            {
                var now = time.GetTimestamp();
                var elapsed = time.GetElapsedTime(last, now);
                last = now;
                startBudget += elapsed.TotalSeconds * _options.ConnectsPerSecond;
                while (_started < _routines.Length && startBudget >= 1)
                {
                    _routines[_started].Car.Start();
                    Interlocked.Increment(ref _started);
                    startBudget -= 1;
                }
                Advance(elapsed);
                _incidents.Advance(elapsed, _started);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of a run.
        }
        await StopAsync();
        return GetStats();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var invoker in _ownedInvokers)
        {
            invoker.Dispose();
        }
    }

    /// <summary>Advances the started cars (only they live; the others have not joined yet).</summary>
    private void Advance(TimeSpan elapsed)
    {
        var started = _started;
        if (started <= ParallelChunk)
        {
            for (var i = 0; i < started; i++)
            {
                _routines[i].Advance(elapsed);
            }
            return;
        }
        Parallel.ForEach(Partitioner.Create(0, started, ParallelChunk), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                _routines[i].Advance(elapsed);
            }
        });
    }

    private async Task StopAsync()
    {
        // Close in batches so that shutting down 100 000 sockets does not start 100 000 closes at once.
        foreach (var batch in Vehicles.Chunk(1000))
        {
            await Task.WhenAll(batch.Select(car => car.DisconnectAsync()));
        }
    }

    private List<HttpMessageInvoker> CreateInvokers(FleetOptions options)
    {
        if (options.Http is { } shared)
        {
            return [shared];
        }
        if (options.SourceAddresses == 1)
        {
            return [HttpHandlers.Shared];
        }
        for (var i = 0; i < options.SourceAddresses; i++)
        {
            _ownedInvokers.Add(new HttpMessageInvoker(HttpHandlers.Create(HttpHandlers.LoopbackSource(i, options.SourceAddresses))));
        }
        return _ownedInvokers;
    }

    private void OnPairingCodeShown(object? sender, string code) => PairingCodeShown?.Invoke(sender, code);
}
