using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Bench.Soc;

/// <summary>
/// A car of the SOC benchmark on a <see cref="ClientWebSocket"/>: challenge, upgrade, <c>hello</c> → <c>welcome</c>, then
/// frames sent when the benchmark's pacer says so (a few per second over the whole fleet, so the client's CPU is no issue
/// here, unlike in the ingest benchmark's <see cref="RawCar"/>). One receive stays pending: it answers the server's pings,
/// counts cumulative acks (and times the ack of the newest frame), keeps a pairing code, and acks every sequenced cloud
/// frame (pairing code, configuration) cumulatively at once, as pitwall-sim does.
/// </summary>
internal sealed class LinkCar : IDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource<string> _pairingCode = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _services = new(StringComparer.Ordinal);
    private readonly LinkStats _stats;
    private byte[] _buffer = new byte[1024];
    private long _sent;
    private long _acked;
    private long _newestSentSeq;
    private long _newestSentAt;
    private ulong _lastCloudSeq;
    private string? _failure;
    private TaskCompletionSource _ackOrFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LinkCar(int index, ClientWebSocket socket, LinkStats stats)
    {
        Index = index;
        Vin = Fleet.Vin(index);
        _socket = socket;
        _stats = stats;
    }

    public int Index { get; }

    public string Vin { get; }

    public long Sent => Interlocked.Read(ref _sent);

    public long Acked => Interlocked.Read(ref _acked);

    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>The first pairing code the server sent to this car's screen.</summary>
    public Task<string> PairingCode => _pairingCode.Task;

    /// <summary>Completes when a configuration frame lists car_security among the car's active services.</summary>
    public Task CarSecurityActive => ServiceActive(ServiceIds.CarSecurity);

    /// <summary>Called on the receiving task for every new sequenced cloud frame (after the car's own handling), e.g. to answer a request.</summary>
    public Action<LinkCar, Envelope>? OnRequest { get; set; }

    /// <summary>Completes when a configuration frame lists <paramref name="serviceId"/> among the car's active services.</summary>
    public Task ServiceActive(string serviceId) => Service(serviceId).Task;

    private TaskCompletionSource Service(string serviceId) =>
        _services.GetOrAdd(serviceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static async Task<LinkCar> ConnectAsync(
        Uri server, HttpClient http, HttpMessageInvoker invoker, int index, string fleetSecret, LinkStats stats, CancellationToken cancellationToken)
    {
        var vin = Fleet.Vin(index);
        var nonce = await RawCar.ChallengeAsync(http, vin, cancellationToken);
        var socket = new ClientWebSocket();
        var car = new LinkCar(index, socket, stats);
        try
        {
            socket.Options.KeepAliveInterval = TimeSpan.Zero; // the server pings; the pending receive answers
            socket.Options.SetRequestHeader(VehicleAuth.VinHeader, vin);
            socket.Options.SetRequestHeader(VehicleAuth.NonceHeader, nonce);
            socket.Options.SetRequestHeader(VehicleAuth.ProofHeader, VehicleAuth.Proof(Fleet.Secret(fleetSecret, vin), vin, nonce));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(120));
            await socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = EnvelopeCodec.WebSocketPath }.Uri, invoker, timeout.Token);
            await socket.SendAsync(StatusFrames.Hello(vin).ToByteArray(), WebSocketMessageType.Binary, true, timeout.Token);
            var welcome = await car.ReceiveEnvelopeAsync(timeout.Token);
            if (welcome?.PayloadCase != Envelope.PayloadOneofCase.Welcome)
            {
                throw new InvalidOperationException($"{vin}: expected welcome, got {welcome?.PayloadCase.ToString() ?? "the end of the connection"}");
            }
            car._sent = car._acked = (long)welcome.Welcome.LastReceivedSeq;
            _ = Task.Run(car.ReceiveLoopAsync, CancellationToken.None);
            return car;
        }
        catch
        {
            car.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends the next sequenced frame: <paramref name="frame"/> makes it for the seq and the car's clock (Unix ms; it sets
    /// seq and sent_at_ms). Returns the seq and the moment (Stopwatch ticks) just before the frame went to the socket, or
    /// null when the car's link is broken.
    /// </summary>
    public async Task<(long Seq, long SentAt)?> SendAsync(Func<long, long, Envelope> frame)
    {
        if (Failure is not null)
        {
            return null;
        }
        try
        {
            await _sendLock.WaitAsync(_closed.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
        try
        {
            var seq = _sent + 1;
            var bytes = frame(seq, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()).ToByteArray();
            var at = Stopwatch.GetTimestamp();
            Volatile.Write(ref _newestSentAt, at);
            // Counted as sent before the write: the ack may arrive before the write's continuation runs.
            Interlocked.Exchange(ref _newestSentSeq, seq);
            Interlocked.Exchange(ref _sent, seq);
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, _closed.Token);
            return (seq, at);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Fail($"send failed: {e.Message}");
            return null;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Waits until everything sent is acked; false when the link failed first.</summary>
    public async Task<bool> WaitAllAckedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _ackOrFailure).Task; // taken before looking: an ack in between still wakes us
            if (Failure is not null || Acked >= Sent)
            {
                return Failure is null;
            }
            await signal.WaitAsync(cancellationToken);
        }
    }

    private void Signal() =>
        Interlocked.Exchange(ref _ackOrFailure, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public void Dispose()
    {
        _closed.Cancel();
        _socket.Abort();
        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                var envelope = await ReceiveEnvelopeAsync(_closed.Token);
                if (envelope is null)
                {
                    Fail("the server closed the WebSocket");
                    return;
                }
                switch (envelope.PayloadCase)
                {
                    case Envelope.PayloadOneofCase.Ack:
                        OnAck((long)envelope.Ack.UpToSeq);
                        break;
                    case Envelope.PayloadOneofCase.Error:
                        Fail($"protocol error {envelope.Error.Code}: {envelope.Error.Message} (seq {envelope.Error.Seq})");
                        return;
                    default:
                        if (envelope.Seq > _lastCloudSeq)
                        {
                            _lastCloudSeq = envelope.Seq;
                            OnCloudFrame(envelope);
                        }
                        if (envelope.Seq > 0)
                        {
                            await SendAckAsync(_lastCloudSeq);
                        }
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidProtocolBufferException)
        {
            if (!_closed.IsCancellationRequested)
            {
                Fail($"receive failed: {e.Message}");
            }
        }
    }

    private void OnAck(long upTo)
    {
        if (upTo > Interlocked.Read(ref _sent))
        {
            Fail($"the server acked seq {upTo} but only {Sent} were sent");
            return;
        }
        var previous = Interlocked.Read(ref _acked);
        if (upTo <= previous)
        {
            return;
        }
        Interlocked.Exchange(ref _acked, upTo);
        if (upTo == Interlocked.Read(ref _newestSentSeq) && _stats.Measuring)
        {
            _stats.AckLatency.Record(Stopwatch.GetElapsedTime(Volatile.Read(ref _newestSentAt)));
        }
        Interlocked.Add(ref _stats.Acked, upTo - previous);
        Signal();
    }

    private void OnCloudFrame(Envelope envelope)
    {
        switch (envelope.PayloadCase)
        {
            case Envelope.PayloadOneofCase.PairingCode:
                _pairingCode.TrySetResult(envelope.PairingCode.Code);
                break;
            case Envelope.PayloadOneofCase.Configuration when envelope.Configuration.ActiveServices is { } active:
                foreach (var service in active.Services)
                {
                    Service(service).TrySetResult();
                }
                break;
        }
        OnRequest?.Invoke(this, envelope);
    }

    private async Task SendAckAsync(ulong upTo)
    {
        var ack = new Envelope { SentAtMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), Ack = new Ack { UpToSeq = upTo } }.ToByteArray();
        await _sendLock.WaitAsync(_closed.Token);
        try
        {
            await _socket.SendAsync(ack, WebSocketMessageType.Binary, true, _closed.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <returns>The next binary message as an envelope, or null when the server closed the WebSocket.</returns>
    private async Task<Envelope?> ReceiveEnvelopeAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (length >= 1 << 20)
                {
                    throw new InvalidOperationException($"{Vin}: a message of more than 1 MiB from the server.");
                }
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                return Envelope.Parser.ParseFrom(_buffer, 0, length);
            }
        }
    }

    private void Fail(string reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is null)
        {
            Interlocked.Increment(ref _stats.FailedCars);
        }
        _pairingCode.TrySetException(new InvalidOperationException($"{Vin}: {reason}"));
        foreach (var service in _services.Values)
        {
            service.TrySetException(new InvalidOperationException($"{Vin}: {reason}"));
        }
        Signal();
    }
}

/// <summary>Counters of one group of <see cref="LinkCar"/>s (the normal fleet, or the cars in theft mode).</summary>
internal sealed class LinkStats
{
    public long Acked;
    public int FailedCars;
    private volatile bool _measuring;

    public bool Measuring
    {
        get => _measuring;
        set => _measuring = value;
    }

    /// <summary>From sending a frame to the ack that covers it (the frame is then committed in the database).</summary>
    public LatencyHistogram AckLatency { get; } = new();
}
