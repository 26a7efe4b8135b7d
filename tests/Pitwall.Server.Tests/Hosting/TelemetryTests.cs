using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Trace;
using Pitwall.Server.Hosting.Telemetry;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Hosting;

/// <summary>A server recording every span into a list, as an OTLP collector would receive them.</summary>
public sealed class TracingServer : SqliteServer
{
    public List<Activity> Spans { get; } = [];

    protected override IEnumerable<string> StartupArguments() => ["--Pitwall:Telemetry:Tracing=true"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
}

/// <summary>OpenTelemetry (issue 19): metrics scraped by Prometheus, spans of HTTP and the database, W3C trace ids in
/// problems and log lines.</summary>
public sealed class TelemetryTests(TracingServer server) : IClassFixture<TracingServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<(HttpClient Client, string Vin, string CommandId)> PerformedCommandAsync()
    {
        var (_, _, client, vin, secret) = await server.OwnedVehicleAsync();
        var car = new SimulatedVehicle(new SimulatedVehicleOptions { Server = server.Client.BaseAddress!, Vin = vin, Secret = secret, Seed = 5 });
        await car.ConnectAsync().WaitAsync(Patience);
        var accepted = await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "flash" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.JsonAsync()).GetProperty("id").GetString()!;
        while ((await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands/{id}")).JsonAsync()).GetProperty("state").GetString() != "performed")
        {
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        return (client, vin, id);
    }

    private async Task<string> ScrapeAsync()
    {
        var scrape = await server.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        return await scrape.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Prometheus_scrapes_connected_cars_ingest_acks_commands_the_writer_outbox_notifications_and_http()
    {
        var (client, _, _) = await PerformedCommandAsync();
        await using var events = await EventStream.OpenAsync(client);

        var text = await ScrapeAsync();
        foreach (var series in new[]
                 {
                     "pitwall_link_connected_cars", "pitwall_ingest_messages_total", "pitwall_ingest_ack_latency_seconds_bucket",
                     "pitwall_command_round_trip_seconds_count", "pitwall_db_writer_queue", "pitwall_db_writer_batch_duration_seconds_bucket",
                     "pitwall_outbox_backlog", "pitwall_notification_backlog", "pitwall_sse_subscribers", "http_server_request_duration_seconds_bucket",
                 })
        {
            Assert.True(text.Contains(series, StringComparison.Ordinal), $"{series} not in:\n{text}");
        }
        // Other test classes' servers share this process (and their instruments' names): counts only add up here.
        Assert.Matches("pitwall_command_round_trip_seconds_count\\{[^}]*command_state=\"performed\"[^}]*\\} [1-9]", text);
        Assert.Matches("pitwall_notification_backlog\\{[^}]*channel=\"webhook\"[^}]*\\} [0-9]", text);
        Assert.Matches("pitwall_sse_subscribers\\{[^}]*http_route=\"/api/v1/events\"[^}]*\\} [1-9]", text);
        Assert.DoesNotMatch("WP0ZZZ", text); // no VIN in any label
        // Buckets in seconds, from a millisecond up: not the default ones made for milliseconds (0, 5, 10 …).
        Assert.Matches("pitwall_command_round_trip_seconds_bucket\\{[^}]*le=\"0.025\"[^}]*\\}", text);
        Assert.Matches("pitwall_db_writer_batch_duration_seconds_bucket\\{[^}]*le=\"0.001\"[^}]*\\}", text);
        Assert.DoesNotMatch("pitwall_ingest_ack_latency_seconds_bucket\\{[^}]*le=\"7500\"", text);
    }

    [Fact]
    public async Task A_request_through_a_proxy_does_not_see_the_metrics_of_a_server_without_a_scrape_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_command_is_traced_from_the_api_call_through_its_database_write_without_the_vin_in_the_span()
    {
        var (_, vin, _) = await PerformedCommandAsync();
        Activity[] spans;
        lock (server.Spans)
        {
            spans = [.. server.Spans];
        }
        // Other servers in this process trace their commands too: this test's call is the one whose client span named its car.
        var calls = spans.Where(s => s.Kind == ActivityKind.Client && (s.GetTagItem("url.full") as string)?.Contains($"/vehicles/{vin}/commands") == true)
            .Select(s => s.TraceId).ToHashSet();
        var posts = spans.Where(s => s.Kind == ActivityKind.Server && s.DisplayName.TrimEnd('/') == "POST /api/v1/vehicles/{vin}/commands" && calls.Contains(s.TraceId)).ToList();
        Assert.True(posts.Count == 1, string.Join(", ", spans.Select(s => $"{s.Kind} {s.DisplayName}")));
        var post = posts[0];
        Assert.Contains(spans, s => s.DisplayName == "db write" && s.TraceId == post.TraceId && s.GetTagItem("db.system.name") as string == "sqlite");
        // The server's spans (the test's own HTTP client records the URL it called, as any client may).
        var servers = spans.Where(s => s.TraceId == post.TraceId && (s.Kind == ActivityKind.Server || s.Source.Name == PitwallTelemetry.Name));
        Assert.DoesNotContain(servers.SelectMany(s => s.TagObjects), t => t.Value?.ToString()?.Contains(vin) == true);
    }

    [Fact]
    public async Task A_problem_carries_the_callers_w3c_trace_id()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/vehicles/WP0ZZZ99ZTS000000");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        // A client that sends the header as written (the test process's own HTTP tracing would put its trace there).
        using var caller = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = server.Client.BaseAddress };
        var response = await caller.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(traceId, (await response.JsonAsync()).GetProperty("traceId").GetString());

        var own = await server.Client.GetAsync("/api/v1/vehicles/WP0ZZZ99ZTS000000");
        Assert.Matches("^[0-9a-f]{32}$", (await own.JsonAsync()).GetProperty("traceId").GetString());
    }
}

/// <summary>Tracing off (the default): requests still carry W3C trace ids for problems and logs.</summary>
public sealed class TraceIdWithoutTracingTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task A_problem_carries_the_callers_trace_id_or_a_new_w3c_one()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/vehicles/WP0ZZZ99ZTS000000");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-00");
        using var caller = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = server.Client.BaseAddress };
        Assert.Equal(traceId, (await (await caller.SendAsync(request)).JsonAsync()).GetProperty("traceId").GetString());
        var own = await (await caller.GetAsync("/api/v1/vehicles/WP0ZZZ99ZTS000000")).JsonAsync();
        Assert.Matches("^[0-9a-f]{32}$", own.GetProperty("traceId").GetString());
    }
}

/// <summary>Each log line is one JSON object with the trace and span id of the work that wrote it.</summary>
public sealed class TraceJsonConsoleFormatterTests
{
    [Fact]
    public void A_log_line_written_inside_a_request_carries_its_trace_and_span_id()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var formatter = new TraceJsonConsoleFormatter(TimeProvider.System);
        using var output = new StringWriter();
        var state = new List<KeyValuePair<string, object?>> { new("Channel", "sms"), new("{OriginalFormat}", "Sender for {Channel} failed") };
        formatter.Write(new LogEntry<List<KeyValuePair<string, object?>>>(LogLevel.Error, "Pitwall.Test", new EventId(7), state, null, (_, _) => "Sender for sms failed"),
            null, output);

        var line = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(activity.TraceId.ToHexString(), line.GetProperty("TraceId").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), line.GetProperty("SpanId").GetString());
        Assert.Equal("Sender for sms failed", line.GetProperty("Message").GetString());
        Assert.Equal("sms", line.GetProperty("State").GetProperty("Channel").GetString());
        Assert.Equal("Error", line.GetProperty("LogLevel").GetString());
    }
}
