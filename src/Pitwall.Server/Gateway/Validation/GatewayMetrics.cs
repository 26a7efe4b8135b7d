using System.Diagnostics.Metrics;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway.Validation;

/// <summary>What the gate did to the cars' content, as metrics an operator can watch (meter <see cref="MeterName"/>).</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Pitwall.Gateway";
    public const string RefusedCounterName = "pitwall.vehicle.messages_refused";
    public const string DroppedCounterName = "pitwall.vehicle.values_dropped";

    private readonly Counter<long> _refused;
    private readonly Counter<long> _dropped;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _refused = meter.CreateCounter<long>(RefusedCounterName, "{message}",
            "Car messages refused because their content could not be made plausible, by message kind and reason.");
        _dropped = meter.CreateCounter<long>(DroppedCounterName, "{value}",
            "Implausible values dropped (or stored as out_of_range) from otherwise accepted car messages, by message kind.");
    }

    internal void Refused(Envelope.PayloadOneofCase message, string reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("message", message.ToString()), new KeyValuePair<string, object?>("reason", reason));

    internal void Dropped(Envelope.PayloadOneofCase message, int values) =>
        _dropped.Add(values, new KeyValuePair<string, object?>("message", message.ToString()));
}
