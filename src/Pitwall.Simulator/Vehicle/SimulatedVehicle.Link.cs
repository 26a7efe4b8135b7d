using System.Buffers;
using System.Net.WebSockets;
using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// The connection: handshake, hello/welcome, the send pump and the receive loop, and reconnecting with back-off.
/// Car frames are sent by at most one pump per connection, in seq order, from the resend buffer; nothing but the
/// buffer holds a frame, so a dropped socket loses nothing that was not acked.
/// </summary>
public sealed partial class SimulatedVehicle
{
    private const int InitialReceiveBuffer = 1024;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    // Serialises connection attempts (explicit and automatic).
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private Connection? _connection;
    // Present while the car should stay online: a dropped link is then re-established with back-off.
    private CancellationTokenSource? _keepConnected;
    private int _backoffAttempt;
    // Counts Disconnect/Abort calls, so that an attempt already under way when one comes does not connect after it.
    private int _stops;
    // The cumulative ack the car owes the server (0 = none).
    private ulong _pendingAck;

    /// <summary>
    /// One connection attempt: challenge, upgrade, hello, welcome. Returns once welcomed; after that the car resends
    /// what was not acked and, with <see cref="SimulatedVehicleOptions.AutoReconnect"/>, reconnects when dropped.
    /// </summary>
    /// <exception cref="VehicleConnectionException">The attempt failed (see its StatusCode: 401 = handshake rejected).</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        var created = false;
        lock (_gate)
        {
            if (_options.AutoReconnect && _keepConnected is null)
            {
                _keepConnected = new CancellationTokenSource();
                created = true;
            }
        }
        try
        {
            await ConnectOnceAsync(cancellationToken);
        }
        catch when (created)
        {
            lock (_gate)
            {
                _keepConnected = null;
            }
            throw;
        }
    }

    /// <summary>Connects in the background, retrying with back-off, and stays connected until <see cref="DisconnectAsync"/>
    /// or <see cref="Abort"/> (or until another connection for this VIN replaces it).</summary>
    public void Start()
    {
        CancellationToken token;
        lock (_gate)
        {
            if (_keepConnected is not null)
            {
                return;
            }
            _keepConnected = new CancellationTokenSource();
            token = _keepConnected.Token;
        }
        _ = KeepConnectedAsync(token, delayFirst: false);
    }

    /// <summary>Goes offline cleanly (WebSocket close handshake) and stops reconnecting. Unacked frames stay buffered.</summary>
    public async Task DisconnectAsync()
    {
        var connection = StopConnecting();
        if (connection is null)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(CloseTimeout, _time);
        try
        {
            await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "vehicle going offline", timeout.Token);
            await connection.ReceiveLoop.WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            connection.Socket.Abort();
        }
    }

    /// <summary>Kills the socket at once, without a close handshake (a car losing coverage mid-stream), and stops reconnecting.</summary>
    public void Abort() => StopConnecting()?.Socket.Abort();

    private Connection? StopConnecting()
    {
        CancellationTokenSource? keep;
        Connection? connection;
        lock (_gate)
        {
            _stops++;
            keep = _keepConnected;
            _keepConnected = null;
            connection = _connection;
            if (connection is not null)
            {
                // Detached now, not when its receive loop ends, so that a ConnectAsync right after opens a new one.
                connection.Closing = true;
                _connection = null;
            }
        }
        keep?.Cancel();
        return connection;
    }

    private async Task KeepConnectedAsync(CancellationToken token, bool delayFirst)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (delayFirst)
                {
                    TimeSpan delay;
                    lock (_gate)
                    {
                        delay = Backoff.Delay(_backoffAttempt++, _options.MinReconnectDelay, _options.MaxReconnectDelay, _jitter);
                    }
                    await Task.Delay(delay, _time, token);
                }
                delayFirst = true;
                if (_options.ConnectGate is { } gate)
                {
                    await gate(token);
                }
                try
                {
                    await ConnectOnceAsync(token);
                    return;
                }
                catch (VehicleConnectionException e) when (!token.IsCancellationRequested)
                {
                    lock (_gate)
                    {
                        ConnectFailures++;
                    }
                    Log(e.Message);
                    if (e.Error?.Code == ProtocolError.Types.Code.Replaced)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disconnected or aborted on purpose.
        }
    }

    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken);
        Connection? connection = null;
        var stops = 0;
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            lock (_gate)
            {
                if (_connection is not null)
                {
                    return;
                }
                stops = _stops;
            }
            var http = _options.Http ?? HttpHandlers.Shared;
            var (challenge, webSocket) = VehicleHandshake.Endpoints(_options.Server);
            var nonce = await VehicleHandshake.RequestNonceAsync(http, challenge, Vin, linked.Token);
            var socket = await VehicleHandshake.OpenAsync(http, webSocket, Vin, nonce, _options.Secret, linked.Token);
            connection = new Connection(socket);
            byte[] hello;
            lock (_gate)
            {
                if (_stops != stops)
                {
                    throw new OperationCanceledException("The car was disconnected while it was connecting.");
                }
                _connection = connection;
                hello = BuildHello().ToByteArray();
            }
            await socket.SendAsync(hello, WebSocketMessageType.Binary, endOfMessage: true, linked.Token);
            connection.ReceiveLoop = ReceiveLoopAsync(connection);
            await connection.Welcome.Task.WaitAsync(linked.Token);
        }
        catch (Exception e)
        {
            if (connection is not null)
            {
                Discard(connection);
            }
            bool stopped;
            lock (_gate)
            {
                // Cancelled by the caller, or by Disconnect/Abort: not a failure to retry.
                stopped = e is OperationCanceledException && (cancellationToken.IsCancellationRequested || _stops != stops);
            }
            if (e is VehicleConnectionException || stopped)
            {
                throw;
            }
            var reason = timeout.IsCancellationRequested ? "timed out"
                : e is HttpRequestException { HttpRequestError: var httpError } ? $"HTTP {httpError}"
                : e.GetType().Name;
            throw new VehicleConnectionException($"The connection attempt failed: {reason}.", null, connection?.Error, e);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>
    /// The hello is unsequenced (seq 0): it is never resent or acked, and a fresh seq would be higher than the
    /// unacked frames resent after it, which the server rejects as a replay ("seq did not increase").
    /// </summary>
    private Envelope BuildHello() => new()
    {
        SentAtMs = NowMs(),
        Hello = new Hello
        {
            ProtocolVersion = EnvelopeCodec.ProtocolVersion,
            Vin = Vin,
            Software = { _options.Software.Select(s => s.Clone()) },
            SupportedSignals = { SupportedSignals },
            Privacy = _privacy.Clone(),
            LastReceivedSeq = LastServerSeq,
        },
    };

    private void Discard(Connection connection)
    {
        lock (_gate)
        {
            connection.Closing = true;
            if (_connection == connection)
            {
                _connection = null;
            }
        }
        connection.Socket.Abort();
    }

    private async Task ReceiveLoopAsync(Connection connection)
    {
        var socket = connection.Socket;
        try
        {
            while (true)
            {
                // Wait for data without holding a buffer, so that an idle car costs little memory.
                var peek = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (peek.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (peek.EndOfMessage)
                {
                    continue; // an empty message
                }
                var message = await ReadMessageAsync(socket);
                try
                {
                    if (message.Closed)
                    {
                        break;
                    }
                    if (peek.MessageType == WebSocketMessageType.Binary && !message.TooLarge)
                    {
                        Handle(connection, message.Buffer.AsSpan(0, message.Length));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(message.Buffer);
                }
            }
            if (socket.State == WebSocketState.CloseReceived)
            {
                // Answer the server's close so that both sides end cleanly.
                using var timeout = new CancellationTokenSource(CloseTimeout, _time);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The link is gone; what was not acked is still in the resend buffer.
        }
        finally
        {
            OnConnectionLost(connection);
        }
    }

    private static async Task<ReceivedMessage> ReadMessageAsync(WebSocket socket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        var length = 0;
        var tooLarge = false;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > EnvelopeCodec.MaxFrameBytes)
                {
                    tooLarge = true; // keep reading to the end of the message, discarding it
                    length = 0;
                }
                else
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ReceivedMessage(buffer, 0, Closed: true, TooLarge: false);
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                return new ReceivedMessage(buffer, length, Closed: false, tooLarge);
            }
        }
    }

    private void OnConnectionLost(Connection connection)
    {
        CancellationTokenSource? cancel = null;
        var reconnect = false;
        var token = CancellationToken.None;
        lock (_gate)
        {
            if (_connection == connection)
            {
                _connection = null;
            }
            var wasUp = connection.Welcomed;
            connection.Welcomed = false;
            if (connection.Error?.Code == ProtocolError.Types.Code.Replaced)
            {
                // Another connection for this VIN took over: this one must not fight it.
                cancel = _keepConnected;
                _keepConnected = null;
            }
            else if (wasUp && !connection.Closing && _keepConnected is { IsCancellationRequested: false } keep)
            {
                reconnect = true;
                token = keep.Token;
                Reconnects++;
            }
        }
        cancel?.Cancel();
        connection.Welcome.TrySetException(new VehicleConnectionException(
            connection.Error is { } error ? $"The server closed the connection ({error.Code})." : "The connection closed before the welcome.",
            null, connection.Error));
        // Nobody may be waiting any more (a timed-out attempt); mark the outcome observed.
        _ = connection.Welcome.Task.Exception;
        connection.Socket.Dispose();
        if (reconnect)
        {
            Log("link lost; reconnecting with back-off");
            _ = KeepConnectedAsync(token, delayFirst: true);
        }
    }

    /// <summary>Claims the send pump of the current connection if there is something to send. Under the lock.</summary>
    private Connection? ClaimFlush()
    {
        var connection = _connection;
        if (connection is null || !connection.Welcomed || connection.Closing || connection.Flushing || (_pendingAck == 0 && !_buffer.HasUnsent))
        {
            return null;
        }
        connection.Flushing = true;
        return connection;
    }

    private void Flush()
    {
        Connection? flush;
        lock (_gate)
        {
            flush = ClaimFlush();
        }
        StartFlush(flush);
    }

    private void StartFlush(Connection? connection)
    {
        if (connection is not null)
        {
            _ = PumpAsync(connection);
        }
    }

    /// <summary>Sends the owed ack and every unsent buffered frame, paced, then stops; claimed again on the next change.</summary>
    private async Task PumpAsync(Connection connection)
    {
        // A pacing token taken before waiting for it: the next round sends without taking another.
        var paid = false;
        try
        {
            while (true)
            {
                byte[]? frame = null;
                var length = 0;
                var wait = TimeSpan.Zero;
                lock (_gate)
                {
                    if (_connection != connection || connection.Closing || !connection.Welcomed || (_pendingAck == 0 && !_buffer.HasUnsent))
                    {
                        connection.Flushing = false;
                        return;
                    }
                    wait = paid ? TimeSpan.Zero : _pacer.Take();
                    paid = wait > TimeSpan.Zero;
                    if (!paid)
                    {
                        (frame, length) = _pendingAck != 0 ? EncodeAck() : EncodeNext();
                    }
                }
                if (frame is null)
                {
                    await Task.Delay(wait, _time);
                    continue;
                }
                try
                {
                    await connection.Socket.SendAsync(frame.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            lock (_gate)
            {
                connection.Flushing = false;
            }
            // The receive loop sees the abort and takes care of reconnecting.
            connection.Socket.Abort();
        }
    }

    /// <summary>The owed cumulative ack, as an unsequenced frame. Under the lock.</summary>
    private (byte[] Frame, int Length) EncodeAck()
    {
        var ack = new Envelope { SentAtMs = NowMs(), Ack = new Ack { UpToSeq = _pendingAck } };
        _pendingAck = 0;
        return Encode(ack, ReadOnlySpan<byte>.Empty);
    }

    /// <summary>
    /// The next buffered frame: its seq and sent_at encoded now, followed by the stored payload bytes. Protobuf
    /// merges concatenated messages, so the result is one Envelope. Under the lock.
    /// </summary>
    private (byte[] Frame, int Length) EncodeNext()
    {
        var next = _buffer.TakeNext()!;
        if (next.Transmitted)
        {
            Resent++;
        }
        else
        {
            next.Transmitted = true;
            Sent++;
        }
        return Encode(new Envelope { Seq = next.Seq, SentAtMs = NowMs() }, next.Payload);
    }

    private static (byte[] Frame, int Length) Encode(Envelope header, ReadOnlySpan<byte> payload)
    {
        var headerLength = header.CalculateSize();
        var frame = ArrayPool<byte>.Shared.Rent(headerLength + payload.Length);
        header.WriteTo(frame.AsSpan(0, headerLength));
        payload.CopyTo(frame.AsSpan(headerLength));
        return (frame, headerLength + payload.Length);
    }

    private sealed class Connection(ClientWebSocket socket)
    {
        public ClientWebSocket Socket { get; } = socket;
        public TaskCompletionSource Welcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task ReceiveLoop { get; set; } = Task.CompletedTask;
        /// <summary>The welcome arrived: frames flow.</summary>
        public bool Welcomed { get; set; }
        /// <summary>A send pump runs; there is never more than one per connection.</summary>
        public bool Flushing { get; set; }
        /// <summary>The car is closing this connection on purpose: no more sends, no reconnect.</summary>
        public bool Closing { get; set; }
        public ProtocolError? Error { get; set; }
    }

    private readonly record struct ReceivedMessage(byte[] Buffer, int Length, bool Closed, bool TooLarge);
}
