using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Cluster;

/// <summary>
/// A Server-Sent Events response: each event with its <c>id:</c> (sent back as <c>Last-Event-ID</c> on reconnect), and a
/// comment line when the stream has been quiet for <see cref="ClusterOptions.HeartbeatInterval"/>, so that load balancers
/// and proxies do not close an idle stream.
/// </summary>
public sealed class SseStream(IAsyncEnumerable<SseItem<object>> items) : IResult, IEndpointMetadataProvider
{
    /// <summary>As the framework's own Server-Sent Events result describes itself in the OpenAPI document.</summary>
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(SseItem<object>), ["text/event-stream"]));

    /// <summary>The <c>Last-Event-ID</c> the client sent, if any.</summary>
    public static string? LastEventId(HttpContext context) =>
        context.Request.Headers["Last-Event-ID"] is { Count: > 0 } id && !string.IsNullOrEmpty(id[0]) ? id[0] : null;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var heartbeat = services.GetRequiredService<IOptions<ClusterOptions>>().Value.HeartbeatInterval;
        var time = services.GetRequiredService<TimeProvider>();
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event on at once
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var aborted = httpContext.RequestAborted;
        var enumerator = items.GetAsyncEnumerator(aborted);
        var next = enumerator.MoveNextAsync();
        var nextAwaited = false; // a ValueTask may be awaited once
        // One heartbeat timer per quiet spell, not one per event (a timer and a linked token per event cost the commands
        // benchmark measurable CPU): when it fires early because events went out meanwhile, it is set for the rest.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var idle = Task.Delay(heartbeat, time, stop.Token);
        var lastWrite = time.GetTimestamp();
        using var subscribed = services.GetRequiredService<SseMetrics>().Subscribed(httpContext);
        // Events are written as UTF-8 straight into the response's pipe, their data serialized by one JSON writer per stream
        // (a string per event and another for its formatting were the largest garbage of the apps' streams).
        await using var data = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { Encoder = json.Encoder, Indented = false });
        try
        {
            await response.Body.FlushAsync(aborted); // the headers go out before the first event
            while (true)
            {
                if (!next.IsCompleted)
                {
                    var waiting = next.AsTask();
                    next = new ValueTask<bool>(waiting);
                    while (await Task.WhenAny(waiting, idle) == idle)
                    {
                        await idle;
                        var quietFor = time.GetElapsedTime(lastWrite);
                        if (quietFor >= heartbeat)
                        {
                            await response.WriteAsync(": heartbeat\n\n", aborted);
                            await response.Body.FlushAsync(aborted);
                            lastWrite = time.GetTimestamp();
                            quietFor = TimeSpan.Zero;
                        }
                        idle = Task.Delay(heartbeat - quietFor, time, stop.Token);
                    }
                }
                nextAwaited = true;
                if (!await next)
                {
                    break;
                }
                Write(response.BodyWriter, data, enumerator.Current, json);
                await response.BodyWriter.FlushAsync(aborted);
                lastWrite = time.GetTimestamp();
                next = enumerator.MoveNextAsync();
                nextAwaited = false;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // the client went away
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                if (!nextAwaited)
                {
                    await next; // ends with the request's token
                }
            }
            catch (OperationCanceledException)
            {
            }
            await enumerator.DisposeAsync();
        }
    }

    /// <summary><c>id:</c> (when it has one), <c>event:</c> and one <c>data:</c> line: JSON is not indented, so it is one line.</summary>
    private static void Write(PipeWriter writer, Utf8JsonWriter data, SseItem<object> item, JsonSerializerOptions json)
    {
        if (item.EventId is { } id)
        {
            Text(writer, "id: ");
            Text(writer, id);
            Text(writer, "\n");
        }
        Text(writer, "event: ");
        Text(writer, item.EventType);
        Text(writer, "\ndata: ");
        data.Reset(writer);
        JsonSerializer.Serialize(data, item.Data, item.Data?.GetType() ?? typeof(object), json);
        data.Flush();
        Text(writer, "\n\n");
    }

    private static void Text(PipeWriter writer, string text)
    {
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
