using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Bench;

/// <summary>
/// One client process of the idle-connection benchmark: opens <c>count</c> authenticated vehicle links from one
/// loopback source address (bound in SocketsHttpHandler.ConnectCallback, so that the ~28 000 ephemeral ports of one
/// address are no limit), sends hello, waits for welcome, then keeps a receive pending on each (which answers the
/// server's pings) until its standard input closes. Reports progress as lines on standard output. With
/// <c>reconnect</c>, a car whose link drops comes back (<see cref="Reconnect"/>): the reconnect-storm measurement.
/// </summary>
internal static class IdleHolder
{
    public static async Task<int> RunAsync(
        Uri server, int first, int count, IPAddress source, string fleetSecret, int concurrency, TimeSpan maxHold, bool reconnect)
    {
        using var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(120) };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        var socketUri = new UriBuilder(server) { Scheme = "ws", Path = EnvelopeCodec.WebSocketPath }.Uri;
        var holds = new List<Task>(count);
        var sockets = new List<ClientWebSocket>(count);
        var state = new Counters();
        string? lastError = null;
        using var exiting = new CancellationTokenSource();
        using var handshakes = new SemaphoreSlim(concurrency);
        var comeback = new Reconnect(handshakes, (socket, vin, ct) => ConnectAsync(socket, socketUri, http, invoker, vin, fleetSecret, ct));

        using var reporting = new CancellationTokenSource();
        var reporter = Task.Run(async () =>
        {
            while (!reporting.IsCancellationRequested)
            {
                Console.WriteLine($"status connected={Volatile.Read(ref state.Connected)} failed={Volatile.Read(ref state.Failed)} closed={Volatile.Read(ref state.Closed)}" +
                    $" back={Volatile.Read(ref comeback.Back)} acked={Volatile.Read(ref comeback.Acked)} retries={Volatile.Read(ref comeback.Retries)} last_ack_ms={Volatile.Read(ref comeback.LastAckedAtMs)}");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), reporting.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        using (var connectTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(30)))
        {
            await Parallel.ForEachAsync(Enumerable.Range(first, count),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = connectTimeout.Token },
                async (index, ct) =>
                {
                    for (var attempt = 1; attempt <= 5; attempt++)
                    {
                        var socket = new ClientWebSocket();
                        try
                        {
                            await ConnectAsync(socket, socketUri, http, invoker, Fleet.Vin(index), fleetSecret, ct);
                            var buffer = new byte[256];
                            lock (holds)
                            {
                                sockets.Add(socket);
                                holds.Add(HoldAsync(socket, buffer, state, reconnect ? ComeBackAsync : null));
                            }
                            Interlocked.Increment(ref state.Connected);
                            return;
                        }
                        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException or InvalidOperationException or TaskCanceledException)
                        {
                            socket.Dispose();
                            lastError = $"{Fleet.Vin(index)}: {e.GetType().Name}: {e.Message}";
                            await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
                        }
                    }
                    Interlocked.Increment(ref state.Failed);

                    async Task ComeBackAsync()
                    {
                        try
                        {
                            if (await comeback.ReturnAsync(index, Fleet.Vin(index), exiting.Token) is { } again)
                            {
                                lock (holds)
                                {
                                    sockets.Add(again);
                                }
                                await HoldAsync(again, new byte[256], new Counters(), null);
                            }
                        }
                        catch (OperationCanceledException)
                        {
                            // exiting
                        }
                    }
                });
        }
        Console.WriteLine($"ready connected={state.Connected} failed={state.Failed}");
        if (lastError is not null)
        {
            Console.WriteLine($"last error: {lastError}");
        }

        // Hold until the orchestrator closes our standard input (or the time limit passes).
        var stdinClosed = Task.Run(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }
        });
        await Task.WhenAny(stdinClosed, Task.Delay(maxHold));
        await exiting.CancelAsync();
        await reporting.CancelAsync();
        await reporter;
        Console.WriteLine($"exit connected={state.Connected} closed={state.Closed}");
        List<ClientWebSocket> all;
        lock (holds)
        {
            all = [.. sockets];
        }
        foreach (var socket in all)
        {
            socket.Abort();
            socket.Dispose();
        }
        return 0;
    }

    /// <returns>The welcome.</returns>
    private static async Task<Envelope> ConnectAsync(
        ClientWebSocket socket, Uri socketUri, HttpClient http, HttpMessageInvoker invoker, string vin, string fleetSecret, CancellationToken cancellationToken)
    {
        var nonce = await RawCar.ChallengeAsync(http, vin, cancellationToken);
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the server pings; the pending receive answers
        socket.Options.SetRequestHeader(VehicleAuth.VinHeader, vin);
        socket.Options.SetRequestHeader(VehicleAuth.NonceHeader, nonce);
        socket.Options.SetRequestHeader(VehicleAuth.ProofHeader, VehicleAuth.Proof(Fleet.Secret(fleetSecret, vin), vin, nonce));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        await socket.ConnectAsync(socketUri, invoker, timeout.Token);
        await socket.SendAsync(StatusFrames.Hello(vin).ToByteArray(), WebSocketMessageType.Binary, true, timeout.Token);
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
        var envelope = result.MessageType == WebSocketMessageType.Binary ? Envelope.Parser.ParseFrom(buffer, 0, result.Count) : null;
        if (envelope?.PayloadCase != Envelope.PayloadOneofCase.Welcome)
        {
            throw new InvalidOperationException($"expected welcome, got {envelope?.PayloadCase.ToString() ?? result.MessageType.ToString()}");
        }
        return envelope;
    }

    private static async Task HoldAsync(ClientWebSocket socket, byte[] buffer, Counters state, Func<Task>? whenLost)
    {
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        Interlocked.Increment(ref state.Closed);
        if (whenLost is not null)
        {
            await whenLost();
        }
    }

    private sealed class Counters
    {
        public int Connected;
        public int Failed;
        public int Closed;
    }
}
