using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Bench;

/// <summary>
/// The WebSocket ceiling: a trivial Kestrel WebSocket endpoint that speaks just enough of the vehicle link for the
/// same clients (a challenge that accepts anyone, hello → welcome), parses every frame as an Envelope and answers
/// with cumulative acks at once, with no storage. Acks coalesce like Pitwall's: while one ack is being written,
/// the frames that arrive are covered by the next.
/// </summary>
internal static class AckServer
{
    public static async Task<int> RunAsync(string urls, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        await using var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (context.Request.Path == EnvelopeCodec.ChallengePath && HttpMethods.IsPost(context.Request.Method))
            {
                var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync($"{{\"nonce\":\"{nonce}\",\"expiresAt\":\"2100-01-01T00:00:00+00:00\"}}", context.RequestAborted);
            }
            else if (context.Request.Path == EnvelopeCodec.WebSocketPath && context.WebSockets.IsWebSocketRequest)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.FromSeconds(30) });
                await RunSessionAsync(socket, context.RequestAborted);
            }
            else if (context.Request.Path == "/health/live")
            {
                await context.Response.WriteAsync("Healthy", context.RequestAborted);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        });
        await app.StartAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    private static async Task RunSessionAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[EnvelopeCodec.MaxFrameBytes + 1];
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        long highest = 0;
        Task? acker = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                var envelope = EnvelopeCodec.TryDecode(buffer.AsSpan(0, length), out _);
                if (envelope is null)
                {
                    break;
                }
                if (envelope.PayloadCase == Envelope.PayloadOneofCase.Hello)
                {
                    var welcome = new Envelope
                    {
                        SentAtMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
                        Welcome = new Welcome { LastReceivedSeq = 0, KeepAliveSeconds = 30, ServerTimeMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() },
                    };
                    await socket.SendAsync(welcome.ToByteArray(), WebSocketMessageType.Binary, true, cancellationToken);
                    acker ??= AckLoopAsync(socket, wake.Reader, () => Volatile.Read(ref highest), cancellationToken);
                    continue;
                }
                if (envelope.Seq > 0)
                {
                    Volatile.Write(ref highest, (long)envelope.Seq);
                    wake.Writer.TryWrite(true);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            wake.Writer.TryComplete();
            if (acker is not null)
            {
                await acker.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static async Task AckLoopAsync(WebSocket socket, ChannelReader<bool> wake, Func<long> highest, CancellationToken cancellationToken)
    {
        long acked = 0;
        try
        {
            await foreach (var _ in wake.ReadAllAsync(cancellationToken))
            {
                var upTo = highest();
                if (upTo > acked)
                {
                    var ack = new Envelope { SentAtMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), Ack = new Ack { UpToSeq = (ulong)upTo } };
                    await socket.SendAsync(ack.ToByteArray(), WebSocketMessageType.Binary, true, cancellationToken);
                    acked = upTo;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }
}
