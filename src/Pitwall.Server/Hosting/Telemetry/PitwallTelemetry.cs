using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pitwall.Server.Hosting.Telemetry;

/// <summary>
/// Pitwall's own spans and instruments, exported by OpenTelemetry (<see cref="TelemetrySetup"/>). Each area creates its
/// instruments on <see cref="Meter"/> beside the code it measures; names follow OpenTelemetry's conventions
/// (<c>pitwall.&lt;area&gt;.&lt;what&gt;</c>, units in UCUM), and Prometheus shows them as <c>pitwall_&lt;area&gt;_&lt;what&gt;_&lt;unit&gt;</c>.
/// </summary>
public static class PitwallTelemetry
{
    public const string Name = "Pitwall";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Seconds since <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>), for histograms in <c>s</c>.</summary>
    public static double SecondsSince(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
}
