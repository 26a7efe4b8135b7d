namespace Pitwall.Simulator;

/// <summary>A simulated fleet: how many cars, where, how busy, against which server.</summary>
public sealed record FleetOptions
{
    public const int MaxVehicles = 100_000;

    public Uri Server { get; init; } = new("http://localhost:5080");

    /// <summary>1..<see cref="MaxVehicles"/>.</summary>
    public int Count { get; init; } = 10;

    /// <summary>Car <i>i</i> is seeded with Seed + FirstIndex + i, so the same options give the same fleet.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Every car's secret derives from this (<see cref="Pitwall.Protocol.VehicleAuth.DeriveSecret"/>).</summary>
    public string FleetSecret { get; init; } = SimulatedVehicleOptions.DefaultFleetSecret;

    /// <summary>The fleet's cars are <see cref="FleetVins.For"/>(FirstIndex .. FirstIndex + Count - 1); lets several
    /// simulator processes share one server without sharing VINs.</summary>
    public int FirstIndex { get; init; }

    /// <summary>Load generation: PERIODIC reports per car per second on top of real triggers; 0 = none.</summary>
    public double ReportsPerSecond { get; init; }

    public TimeSpan PeriodicInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often each car asks for software updates by itself (F3), besides at every ignition on; zero = only at ignition on.</summary>
    public TimeSpan UpdatePollInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The signed update metadata's root every car trusts (<see cref="SimulatedVehicleOptions.TrustedUpdateRoot"/>); null: none.</summary>
    public string? TrustedUpdateRoot { get; init; }

    /// <summary>The image repository's root every car trusts (Uptane, <see cref="SimulatedVehicleOptions.TrustedImageRoot"/>); null: none.</summary>
    public string? TrustedImageRoot { get; init; }

    /// <summary>Every car signs a vehicle manifest into each update poll, with its own key derived from <see cref="FleetSecret"/> and its VIN
    /// (<see cref="FleetManifestKeys"/>), so that a restarted fleet keeps the keys the server pinned.</summary>
    public bool ManifestKeys { get; init; }

    /// <summary>The region of every car's navigation map (F5): at every start the cars ask whether newer map data of it exists. Null:
    /// no navigation map.</summary>
    public string? MapRegion { get; init; } = "heidelberg";

    /// <summary>The map version the cars left the factory with.</summary>
    public int MapVersion { get; init; } = 1;

    /// <summary>On demand, fleet-wide: breakdowns per hour (a random connected car that runs breaks down and calls for help); 0 = only the
    /// cars' own breakdowns by distance.</summary>
    public double BreakdownsPerHour { get; init; }

    /// <summary>On demand, fleet-wide: emergency calls per hour (crash or SOS button, from a random connected car); 0 = none.</summary>
    public double EmergencyCallsPerHour { get; init; }

    /// <summary>Cars of the fleet (VINs) that break down and call for help once, as soon as they are connected.</summary>
    public IReadOnlyCollection<string> BreakDownVins { get; init; } = [];

    /// <summary>Cars of the fleet (VINs) that raise an emergency call once, as soon as they are connected.</summary>
    public IReadOnlyCollection<string> EmergencyVins { get; init; } = [];

    /// <summary>Connection attempts per second across the fleet (first connects and reconnects), so that a large fleet
    /// does not arrive as a thundering herd. The server allows 600 challenges per minute per client address by default.</summary>
    public double ConnectsPerSecond { get; init; } = 10;

    /// <summary>Spread sockets over 127.0.0.1..127.0.0.N (1..254; 1 = let the system choose). For a loopback server only.</summary>
    public int SourceAddresses { get; init; } = 1;

    public GeoPosition Home { get; init; } = GeoPosition.Stuttgart;

    /// <summary>Cars live within this distance of <see cref="Home"/> (metres).</summary>
    public double SpreadMetres { get; init; } = 4000;

    /// <summary>The share of electric cars, 0..1.</summary>
    public double ElectricShare { get; init; } = 0.5;

    /// <summary>How often the fleet advances every car.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where cars show pairing codes ("VIN … shows pairing code …"). Must be thread-safe.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Per-car diagnostics (failed connects, server errors); null = quiet. Must be thread-safe.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Overrides the HTTP stack (tests); otherwise one handler per source address.</summary>
    public HttpMessageInvoker? Http { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Server);
        ArgumentOutOfRangeException.ThrowIfLessThan(Count, 1, nameof(Count));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Count, MaxVehicles, nameof(Count));
        ArgumentOutOfRangeException.ThrowIfNegative(FirstIndex, nameof(FirstIndex));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)FirstIndex + Count, FleetVins.Capacity, nameof(FirstIndex));
        ArgumentOutOfRangeException.ThrowIfNegative(ReportsPerSecond, nameof(ReportsPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectsPerSecond, 0, nameof(ConnectsPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(SourceAddresses, 1, nameof(SourceAddresses));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SourceAddresses, 254, nameof(SourceAddresses));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TickInterval, TimeSpan.Zero, nameof(TickInterval));
        ArgumentException.ThrowIfNullOrEmpty(FleetSecret, nameof(FleetSecret));
        ArgumentOutOfRangeException.ThrowIfNegative(BreakdownsPerHour, nameof(BreakdownsPerHour));
        ArgumentOutOfRangeException.ThrowIfNegative(EmergencyCallsPerHour, nameof(EmergencyCallsPerHour));
        if (BreakDownVins.Concat(EmergencyVins).FirstOrDefault(v => ForeignVin(v) is not null) is { } foreign)
        {
            throw new ArgumentException(ForeignVin(foreign), nameof(BreakDownVins));
        }
    }

    /// <summary>Why <paramref name="vin"/> is not a car of this fleet, or null when it is.</summary>
    public string? ForeignVin(string vin)
    {
        var index = FleetVins.IndexOf(vin);
        if (index >= FirstIndex && index < FirstIndex + Count)
        {
            return null;
        }
        return $"{vin} is not a car of this fleet ({FleetVins.For(FirstIndex)} … {FleetVins.For(FirstIndex + Count - 1)}; `pitwall-sim vins` lists them).";
    }
}
