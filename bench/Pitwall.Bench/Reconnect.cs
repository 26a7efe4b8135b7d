using System.Net.WebSockets;
using Google.Protobuf;
using Pitwall.Protocol.V1;

namespace Pitwall.Bench;

/// <summary>
/// What an idle holder's car does when its link drops (the reconnect-storm measurement of the connections benchmark): it
/// comes back the way pitwall-sim does, after an exponential back-off with jitter (half to all of 1 s × 2^attempt, at
/// most 60 s; SimulatedVehicleOptions' Min/MaxReconnectDelay), with challenge, upgrade, hello and welcome; then it sends
/// one status report and waits for its ack, and holds the link again. At most <c>concurrency</c> handshakes of a holder
/// are in flight at once, as when the links were first opened (the server's open-files limit leaves ~200 sockets spare).
/// </summary>
internal sealed class Reconnect(SemaphoreSlim handshakes, Func<ClientWebSocket, string, CancellationToken, Task<Envelope>> connect)
{
    private static readonly TimeSpan MinDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    public int Back;
    public int Acked;
    public int Retries;
    public long LastAckedAtMs;

    /// <returns>The new link, held by the caller; null when the time ran out.</returns>
    public async Task<ClientWebSocket?> ReturnAsync(int carIndex, string vin, CancellationToken cancellationToken)
    {
        for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
        {
            await Task.Delay(Delay(attempt), cancellationToken);
            var socket = new ClientWebSocket();
            await handshakes.WaitAsync(cancellationToken);
            try
            {
                var welcome = await connect(socket, vin, cancellationToken);
                Interlocked.Increment(ref Back);
                var seq = welcome.Welcome.LastReceivedSeq + 1;
                var report = new StatusFrames(carIndex).Report(seq, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await socket.SendAsync(report.ToByteArray(), WebSocketMessageType.Binary, true, cancellationToken);
                await WaitForAckAsync(socket, seq, cancellationToken);
                Interlocked.Increment(ref Acked);
                InterlockedMax(ref LastAckedAtMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                return socket;
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException or InvalidOperationException or TaskCanceledException)
            {
                socket.Dispose();
                Interlocked.Increment(ref Retries);
            }
            finally
            {
                handshakes.Release();
            }
        }
        return null;
    }

    private static async Task WaitForAckAsync(ClientWebSocket socket, ulong seq, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("closed before the ack");
            }
            var envelope = result.MessageType == WebSocketMessageType.Binary && result.EndOfMessage ? Envelope.Parser.ParseFrom(buffer, 0, result.Count) : null;
            if (envelope?.PayloadCase == Envelope.PayloadOneofCase.Ack && envelope.Ack.UpToSeq >= seq)
            {
                return;
            }
            if (envelope?.PayloadCase == Envelope.PayloadOneofCase.Error)
            {
                throw new InvalidOperationException($"error {envelope.Error.Code} before the ack");
            }
        }
    }

    /// <summary>pitwall-sim's Backoff.Delay: between half and all of min × 2^attempt, capped at max.</summary>
    private static TimeSpan Delay(int attempt)
    {
        var cap = Math.Min(MinDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt, 30)), MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(cap * (0.5 + Random.Shared.NextDouble() * 0.5));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var actual && actual != seen)
        {
            seen = actual;
        }
    }
}
