using Microsoft.Extensions.Options;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.LiveEvents;

namespace Pitwall.Server.Gateway;

/// <summary>What every session needs, resolved once.</summary>
internal sealed class GatewayServices(
    SessionRegistry registry, IngestWriter writer, VehicleLinkStore store, CloudAcks acks, GatewayEvents events, VinLocks locks,
    Validation.CarMessageValidator validator, Validation.GatewayMetrics metrics, IOptions<GatewayOptions> options, TimeProvider time,
    CarRouting routing, ILogger<VehicleSession> logger)
{
    public SessionRegistry Registry { get; } = registry;
    public IngestWriter Writer { get; } = writer;
    public VehicleLinkStore Store { get; } = store;
    public CloudAcks Acks { get; } = acks;
    public GatewayEvents Events { get; } = events;
    public VinLocks Locks { get; } = locks;
    public Validation.CarMessageValidator Validator { get; } = validator;
    public Validation.GatewayMetrics Metrics { get; } = metrics;
    public GatewayOptions Options { get; } = options.Value;
    public TimeProvider Time { get; } = time;
    public CarRouting Routing { get; } = routing;
    public ILogger Logger { get; } = logger;
}

/// <summary>Connection changes as live events for the apps.</summary>
internal sealed class GatewayEvents(LiveEventHub hub, TimeProvider time)
{
    public void Connected(string vin, PrivacySettings privacy) =>
        hub.Publish(new LiveEvent(vin, "vehicle.connection", new { vin, online = true, privateMode = privacy.PrivateMode }, time.GetUtcNow()));

    public void Disconnected(string vin) =>
        hub.Publish(new LiveEvent(vin, "vehicle.connection", new { vin, online = false }, time.GetUtcNow()));

    /// <summary>The car has applied every cloud frame up to <paramref name="upToSeq"/>: what waited for its confirmation
    /// (a configuration such as geofences) is confirmed now — read it again.</summary>
    public void Applied(string vin, long upToSeq) =>
        hub.Publish(new LiveEvent(vin, "vehicle.frames_applied", new { vin, upToSeq }, time.GetUtcNow()));
}
