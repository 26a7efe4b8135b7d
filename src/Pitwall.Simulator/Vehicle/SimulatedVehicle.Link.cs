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
            Software = { Installed().Select(s => new SoftwareVersion { Component = s.Key, Version = s.Value }) },
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
}
