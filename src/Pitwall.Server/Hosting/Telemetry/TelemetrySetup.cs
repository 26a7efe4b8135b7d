using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NATS.Client.OpenTelemetry;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pitwall.Server.Cluster;

namespace Pitwall.Server.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry (issue 19): spans for HTTP, the database (Pitwall's reads and writes, Npgsql's commands), NATS and outgoing
/// HTTP; metrics of ASP.NET Core, the runtime and Pitwall's own instruments, scraped by Prometheus at <c>/metrics</c> and
/// pushed over OTLP when a collector is set; log lines with their W3C trace id.
/// </summary>
internal static class TelemetrySetup
{
    public static void AddPitwallTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var recording = options.Tracing || options.OtlpEndpoint is not null;

        builder.Logging.AddConsole(o => o.FormatterName = TraceJsonConsoleFormatter.FormatterName)
            .AddConsoleFormatter<TraceJsonConsoleFormatter, ConsoleFormatterOptions>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService("pitwall", serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString(), autoGenerateServiceInstanceId: false)
                .AddDetector(services => new InstanceDetector(services.GetRequiredService<IClusterBus>().InstanceId)))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddNatsClientInstrumentation()
                    .AddMeter(PitwallTelemetry.Name);
                if (!string.IsNullOrEmpty(options.MetricsPath))
                {
                    metrics.AddPrometheusExporter();
                }
                if (options.OtlpEndpoint is { } otlp)
                {
                    metrics.AddOtlpExporter(o => Otlp(o, otlp, "v1/metrics"));
                }
            });
        if (recording)
        {
            // Not recording, no tracer is installed: ASP.NET Core still gives every request an activity (its trace id the
            // caller's traceparent, or a new one) for problems and log lines, and nothing below it costs a span.
            telemetry.WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = context => !IsScrapeOrProbe(context.Request.Path, options);
                        // The route names the operation; the path itself can hold a VIN (personal data, DESIGN §3.10).
                        o.EnrichWithHttpResponse = (activity, _) => activity.SetTag("url.path", null);
                    })
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddNatsClientInstrumentation()
                    .AddSource(PitwallTelemetry.Name);
                if (options.OtlpEndpoint is { } otlp)
                {
                    tracing.AddOtlpExporter(o => Otlp(o, otlp, "v1/traces"));
                }
            });
        }
        if (options.OtlpEndpoint is { } logsTo)
        {
            telemetry.WithLogging(logging => logging.AddOtlpExporter(o => Otlp(o, logsTo, "v1/logs")));
        }
    }

    /// <summary>The Prometheus scrape endpoint, for a bearer of <see cref="TelemetryOptions.ScrapeToken"/> or, without one,
    /// loopback clients that came through no proxy; everyone else sees an unknown path.</summary>
    public static void UsePitwallMetrics(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (string.IsNullOrEmpty(options.MetricsPath))
        {
            return;
        }
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: context => context.Request.Path.Equals(options.MetricsPath, StringComparison.Ordinal),
            path: null,
            configureBranchedPipeline: branch => branch.Use((context, next) =>
            {
                if (MayScrape(context, options))
                {
                    return next(context);
                }
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }),
            optionsName: null);
    }

    private static bool MayScrape(HttpContext context, TelemetryOptions options)
    {
        if (options.ScrapeToken is { Length: > 0 } token)
        {
            var sent = context.Request.Headers.Authorization.ToString();
            return sent.StartsWith("Bearer ", StringComparison.Ordinal) &&
                   CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent[7..]), Encoding.UTF8.GetBytes(token));
        }
        return context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote) &&
               !context.Request.Headers.ContainsKey("X-Forwarded-For") && !context.Request.Headers.ContainsKey("Forwarded") &&
               !context.Request.Headers.ContainsKey("X-Original-For"); // a trusted proxy's request, its client's address taken over
    }

    private static bool IsScrapeOrProbe(PathString path, TelemetryOptions options) =>
        path.StartsWithSegments("/health") || (!string.IsNullOrEmpty(options.MetricsPath) && path.Equals(options.MetricsPath, StringComparison.Ordinal));

    private static void Otlp(OtlpExporterOptions o, Uri collector, string signal)
    {
        o.Protocol = OtlpExportProtocol.HttpProtobuf;
        o.Endpoint = new Uri(collector, signal);
    }

    /// <summary>service.instance.id is the cluster's instance id, so a span or series names the instance the operator sees in presence.</summary>
    private sealed class InstanceDetector(string instanceId) : IResourceDetector
    {
        public Resource Detect() => new([new KeyValuePair<string, object>("service.instance.id", instanceId)]);
    }
}
