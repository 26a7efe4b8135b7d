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

    /// <summary>
    /// Buckets for Pitwall's histograms in seconds, 1 ms to 10 s. OpenTelemetry's default buckets (0, 5, 10, 25 … 10 000) are
    /// meant for milliseconds: in seconds every ack, commit and command fell into the first one.
    /// </summary>
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10],
    };
}
