using System.Text;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>Everything a <see cref="SimulatedVehicle"/> is built from. Use <see cref="ForFleet"/> for fleet-secret cars.</summary>
public sealed record SimulatedVehicleOptions
{
    /// <summary>The fleet secret of the demo fleet; the server's demo provisions the same one.</summary>
    public const string DefaultFleetSecret = "pitwall-demo-fleet";

    /// <summary>The server's HTTP base address, e.g. http://localhost:5080 (ws:// and wss:// work too).</summary>
    public required Uri Server { get; init; }

    public required string Vin { get; init; }

    /// <summary>The per-vehicle secret; never sent, never logged.</summary>
    public required ReadOnlyMemory<byte> Secret { get; init; }

    /// <summary>Seeds the car's randomness (driving, jitter): the same seed gives the same car.</summary>
    public int Seed { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public Powertrain Powertrain { get; init; } = Powertrain.Electric;

    public GeoPosition StartPosition { get; init; } = GeoPosition.Stuttgart;

    /// <summary>Degrees clockwise from north.</summary>
    public double StartHeading { get; init; }

    /// <summary>State of charge or fuel level at start, %.</summary>
    public double StartLevel { get; init; } = 80;

    /// <summary>Metres on the odometer at start.</summary>
    public double StartOdometer { get; init; } = 12_345_000;

    public PrivacySettings? Privacy { get; init; }

    /// <summary>GPS noise for the location alarm's fixes: each fix lies up to this many metres off the true position (uniform
    /// over the disc, accuracy of the same order), and <see cref="PoorFixShare"/> of them are poor (150–600 m off, accuracy
    /// 150–800 m). 0 = exact fixes. Several tens of metres is what a car sees between buildings.</summary>
    public double GpsJitterMetres { get; init; }

    /// <summary>With <see cref="GpsJitterMetres"/>: the share of poor fixes.</summary>
    public double PoorFixShare { get; init; } = 0.05;

    public IReadOnlyList<SoftwareVersion> Software { get; init; } =
    [
        new() { Component = "head-unit", Version = "24.3.1" },
        new() { Component = "telematics", Version = "5.2.0" },
    ];

    /// <summary>The owner's choice per kind of software update (security, feature, maintenance) where the offer carries none (Pitwall sends
    /// the owner's preferences as the offer's <c>owner_decision</c>); a kind not listed asks the driver.</summary>
    public IReadOnlyDictionary<string, UpdateDecision> UpdatePreferences { get; init; } = new Dictionary<string, UpdateDecision>(StringComparer.Ordinal)
    {
        ["security"] = UpdateDecision.Automatic,
        ["feature"] = UpdateDecision.Ask,
        ["maintenance"] = UpdateDecision.Automatic,
    };

    /// <summary>The signed update metadata's root the car trusts (its JSON, provisioned at the factory, e.g. the key directory's
    /// <c>root/1.root.json</c>): with it the car verifies every offer's metadata and image and refuses what fails, with a stable
    /// reason. Null: the car checks only each file's SHA-256 from the offer.</summary>
    public string? TrustedUpdateRoot { get; init; }

    /// <summary>The image repository's root metadata (Uptane) the car trusts from the factory, or null. With it, every offer must carry
    /// the image repository's metadata, and each image the director names must be pinned there with the same length and hash.</summary>
    public string? TrustedImageRoot { get; init; }

    /// <summary>The car's own key for Uptane vehicle manifests (ECDSA P-256): with it, every update poll carries a manifest of what each
    /// component runs, signed with it. Null: no manifest.</summary>
    public System.Security.Cryptography.ECDsa? ManifestKey { get; init; }

    /// <summary>The car's hardware variant, matched against the hardware ids the signed targets pin; null: none.</summary>
    public string? HardwareVariant { get; init; }

    /// <summary>The car's secure time source for the metadata's expiry (Uptane); null: <see cref="TimeProvider"/>.</summary>
    public TimeProvider? SecureTime { get; init; }

    /// <summary>What the driver answers when asked to install an update.</summary>
    public bool DriverAcceptsUpdates { get; init; } = true;

    /// <summary>Whether the car asks for updates by itself at every ignition on (F3: "at every start"). Off by default so that a
    /// test that drives a car sees only the polls it asks for; the fleet turns it on.</summary>
    public bool PollUpdatesAtStart { get; init; }

    /// <summary>How often the car asks for updates by itself in stepped time (F3: "periodically"); zero = never by itself.</summary>
    public TimeSpan UpdatePollInterval { get; init; }

    /// <summary>The region of the car's navigation map (e.g. "monaco", "heidelberg"); null: the car has no navigation map and never asks
    /// for map updates (F5).</summary>
    public string? MapRegion { get; init; }

    /// <summary>The version of that map the car left the factory with; 0: none yet.</summary>
    public int MapVersion { get; init; }

    /// <summary>Whether the car asks for newer map data by itself at every ignition on (F5: "bei jedem Fahrzeugstart"). Off by default, like
    /// <see cref="PollUpdatesAtStart"/>; the fleet turns it on.</summary>
    public bool PollMapsAtStart { get; init; }

    /// <summary>The map distribution's base address; null: <see cref="Server"/> (Pitwall serves it at /map-distribution/v1).</summary>
    public Uri? MapDistribution { get; init; }

    /// <summary>How often <see cref="SimulatedVehicle.Step"/> sends a PERIODIC report (simulated time); the server may change it.</summary>
    public TimeSpan PeriodicInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the car sends its Car Security health check (E4) in stepped time; zero = only when asked.</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How often the car sends its Smart Service log (F1), by the clock; the server may change it. Zero = only on thresholds,
    /// faults and request.</summary>
    public TimeSpan ServiceLogInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The wear parts' condition when the car starts (F1).</summary>
    public ServiceCondition ServiceCondition { get; init; } = new();

    /// <summary>Scales every wear rate (1 = ordinary lives; demos use more to see wear within days).</summary>
    public double WearFactor { get; init; } = 1;

    /// <summary>Driving style: hard braking events per 100 km (they wear pads and tyres faster).</summary>
    public double HardBrakingPer100Km { get; init; } = 2;

    /// <summary>How often a control unit stores a fault, per 1000 km driven; 0 = only <see cref="SimulatedVehicle.RaiseFaultAsync"/>.</summary>
    public double FaultsPer1000Km { get; init; } = 0.05;

    /// <summary>How often the car breaks down while driving and calls for help (F2), per 1000 km; 0 = only
    /// <see cref="SimulatedVehicle.BreakDownAsync"/>.</summary>
    public double BreakdownsPer1000Km { get; init; } = 0.01;

    /// <summary>The driver's phone number the car offers the assistance centre with a breakdown or emergency call (F2).</summary>
    public string CallbackNumber { get; init; } = "+491701234567";

    /// <summary>Load generation: extra PERIODIC reports per second of stepped time, on top of <see cref="PeriodicInterval"/>.</summary>
    public double ExtraReportsPerSecond { get; init; }

    /// <summary>Frames kept for resending; when full the oldest PERIODIC report goes first, else the oldest frame.</summary>
    public int ResendCapacity { get; init; } = 10_000;

    /// <summary>Most frames per second the car sends, and the burst above it; 0 = unpaced. Keep under the server's limit.</summary>
    public double MaxFramesPerSecond { get; init; } = 45;

    public int MaxFrameBurst { get; init; } = 450;

    /// <summary>
    /// Overrides the first seq. By default it is the time this process first numbered a frame, in Unix milliseconds
    /// × 1000, and a VIN rebuilt in the same process continues where its previous instance stopped.
    /// </summary>
    public ulong? FirstSeq { get; init; }

    /// <summary>After a successful connect, reconnect with back-off when the server or network drops the link.</summary>
    public bool AutoReconnect { get; init; } = true;

    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Challenge, upgrade and welcome together must take no longer.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each remote command takes its type's typical time (<see cref="SimulatedVehicle.TypicalDuration"/>) of stepped
    /// time before its result; off = done on arrival.</summary>
    public bool RealisticCommandTimes { get; init; }

    /// <summary>Keep every received frame for <see cref="SimulatedVehicle.ReceivedFrames"/> (tests); off for fleets.</summary>
    public bool RecordReceivedFrames { get; init; }

    /// <summary>Sends the challenge and the upgrade; default <see cref="HttpHandlers.Shared"/>. Not disposed by the car.</summary>
    public HttpMessageInvoker? Http { get; init; }

    /// <summary>Where "VIN … shows pairing code …" lines go (the car's screen). Must be thread-safe.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Diagnostics (connection failures, server errors). Never carries secrets, proofs, nonces or positions.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Awaited before every connection attempt; a fleet uses it to pace connects.</summary>
    internal Func<CancellationToken, ValueTask>? ConnectGate { get; init; }

    /// <summary>A car of a fleet whose per-vehicle secrets derive from one fleet secret (<see cref="VehicleAuth.DeriveSecret"/>).</summary>
    public static SimulatedVehicleOptions ForFleet(Uri server, string vin, string fleetSecret = DefaultFleetSecret) => new()
    {
        Server = server,
        Vin = vin,
        Secret = VehicleAuth.DeriveSecret(Encoding.UTF8.GetBytes(fleetSecret), vin),
    };
}
