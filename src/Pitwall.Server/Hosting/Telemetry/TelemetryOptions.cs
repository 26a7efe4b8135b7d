using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Hosting.Telemetry;

/// <summary>Traces, metrics and log export (<c>Pitwall:Telemetry</c>); see the operator guide.</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Pitwall:Telemetry";

    /// <summary>An OpenTelemetry collector (OTLP over HTTP, e.g. <c>http://collector:4318</c>): traces, metrics and logs go there.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Record spans (HTTP, database, NATS, Pitwall's own) even without a collector, e.g. for an exporter added in code.
    /// On by itself when <see cref="OtlpEndpoint"/> is set. Off, requests still get a W3C trace id for problems and logs.</summary>
    public bool Tracing { get; set; }

    /// <summary>Share of traces recorded when tracing, decided where a trace begins (a caller's sampled flag is followed).</summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>The Prometheus scrape endpoint's path; empty turns it off.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>A bearer token the scraper must send. Without one, only loopback clients may scrape (a scraper beside the
    /// instance, or through an SSH tunnel); everyone else gets 404, as for any unknown path.</summary>
    public string? ScrapeToken { get; set; }
}
