using System.Buffers;
using System.Net.WebSockets;
using Pitwall.Server.Hosting;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

/// <summary>
/// One car's connection: reads frames in order, checks them, hands sequenced messages to the ingest writer and
/// acks them once durable; writes cloud frames from a bounded queue. Anything wrong ends only this connection.
/// </summary>
internal sealed partial class VehicleSession
{
    private readonly WebSocket _socket;
    private readonly GatewayServices _services;
    private readonly OutboundFrames _outbound;
    private readonly TokenBucket _rate;
    private long _lastReceivedSeq;
    private long _durableSeq;
    private long _ackedSeq;
    private volatile bool _closing;
    private ITimer? _frameDeadline;

    internal VehicleSession(string vin, WebSocket socket, GatewayServices services)
    {
        Vin = vin;
        _socket = socket;
        _services = services;
        Car = services.Writer.CarOf(vin);
        var options = services.Options;
        _outbound = new OutboundFrames(socket, options.OutboundQueueLength, Abort);
        _rate = new TokenBucket(options.MessagesPerSecond, options.MessageBurst, services.Time);
    }

    public string Vin { get; }

    /// <summary>The car's entry in the ingest writer, found once for the connection's messages.</summary>
    internal IngestCar Car { get; }

    // Set once the login is on record, so that the logout is recorded too.
    private bool _helloRecorded;

    /// <summary>H6; best effort: a server going down may not get to write it.</summary>
    private async Task RecordLogoutAsync()
    {
        try
        {
            await _services.Store.RecordLogoutAsync(Vin, Epoch, _services.Time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            LogStorageFailed(_services.Logger, e, LogRef.Vehicle(Vin));
        }
    }

    /// <summary>The car's privacy switches as last reported; every message is judged by them.</summary>
    public PrivacySettings Privacy { get; private set; } = new();

    /// <summary>Runs the conversation until the car goes, and disposes the socket, which is the session's from its start.</summary>
    /// <param name="stopping">The server's one shutdown token; the session holds no token source of its own. What ends a
    /// connection early (a car that does not read, a stalled close, shutdown via <see cref="SessionRegistry.StopAll"/>)
    /// aborts its socket, which ends the pending receive.</param>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await ReceiveLoopAsync(stopping);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The car went away or the server is stopping; what was not acked will be resent by the car.
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            // Storage failed mid-conversation: nothing unacked is lost, the car reconnects and resends.
            LogStorageFailed(_services.Logger, e, LogRef.Vehicle(Vin));
            Fail(ProtocolError.Types.Code.ShuttingDown, "storage unavailable; reconnect later", 0);
        }
        finally
        {
            // Let the sender flush what is queued (an error frame, acks) and close, but not wait on a dead peer forever.
            _closing = true;
            _frameDeadline?.Dispose();
            var sent = _outbound.Complete();
            try
            {
                await sent.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                Abort(); // a car that does not take the last frames: the send fails
                await sent;
            }
            await _services.Routing.LeaveAsync(this);
            if (_helloRecorded)
            {
                await RecordLogoutAsync(); // before the disconnect is announced, so that whoever hears of it finds it on record
            }
            if (_services.Registry.Remove(this))
            {
                _services.Events.Disconnected(Vin);
            }
            LogClosed(_services.Logger, LogRef.Vehicle(Vin));
            _socket.Dispose();
        }
    }

    /// <summary>Called by the ingest writer once the car's frames up to <paramref name="seq"/> are durable.</summary>
    internal void Durable(long seq)
    {
        if (seq > Interlocked.Read(ref _durableSeq))
        {
            Interlocked.Exchange(ref _durableSeq, seq);
        }
        SendAck();
    }

    /// <summary>Queues a cloud frame; a car that does not read its queue is disconnected rather than buffered without end.</summary>
    internal void Send(Envelope frame)
    {
        if (_closing)
        {
            return; // e.g. an ack for a batch that committed after the connection began to close
        }
        if (!_outbound.TrySend(frame))
        {
            LogSlowConsumer(_services.Logger, LogRef.Vehicle(Vin));
            Abort();
        }
    }

    /// <summary>Ends the connection at once, without a close handshake: the pending receive and send fail.</summary>
    internal void Abort()
    {
        _closing = true;
        _socket.Abort();
    }

    /// <summary>Ends this connection because another one for the same VIN took over.</summary>
    internal void Replace() => Fail(ProtocolError.Types.Code.Replaced, "another connection for this VIN took over", 0);

    /// <summary>Set when a batch with this session's messages could not be stored: nothing more of it may be stored.</summary>
    internal bool Poisoned { get; private set; }

    /// <summary>Ends this connection because storing its messages failed (the car reconnects and resends what was not acked).</summary>
    internal void Close(ProtocolError.Types.Code code, string message)
    {
        Poisoned = true;
        Fail(code, message, 0);
    }

    private void SendAck()
    {
        var durable = Interlocked.Read(ref _durableSeq);
        if (durable > Interlocked.Exchange(ref _ackedSeq, durable))
        {
            SendAck(durable);
        }
    }

    private void SendAck(long upTo)
    {
        if (!_closing && !_outbound.TrySendAck((ulong)upTo, Now()))
        {
            LogSlowConsumer(_services.Logger, LogRef.Vehicle(Vin));
            Abort();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var helloDone = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Wait for data without holding a buffer, here rather than in ReceiveFrameAsync, so that an idle car keeps no
            // state machine of that method alive either (and a frame read at once allocates none).
            var peek = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (peek.MessageType == WebSocketMessageType.Close)
            {
                return; // closed by the car
            }
            var (frame, length, tooLarge) = await ReceiveFrameAsync();
            if (frame is null)
            {
                return; // closed by the car
            }
            Envelope? envelope = null;
            var error = ProtocolError.Types.Code.FrameTooLarge;
            try
            {
                if (!tooLarge)
                {
                    envelope = EnvelopeCodec.TryDecode(frame.AsSpan(0, length), out error);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
            if (envelope is null)
            {
                Fail(error, "the frame could not be read", 0);
                return;
            }
            if (!_rate.TryTake())
            {
                Fail(ProtocolError.Types.Code.RateLimited, "too many messages", envelope.Seq);
                return;
            }
            if (!helloDone)
            {
                if (envelope.PayloadCase != Envelope.PayloadOneofCase.Hello)
                {
                    Fail(ProtocolError.Types.Code.HelloRequired, "the first frame must be hello", envelope.Seq);
                    return;
                }
                if (!await HandleHelloAsync(envelope, cancellationToken))
                {
                    return;
                }
                helloDone = true;
                continue;
            }
            if (!await HandleAsync(envelope, cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<bool> HandleHelloAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        var hello = envelope.Hello;
        if (hello.Vin != Vin)
        {
            Fail(ProtocolError.Types.Code.VinMismatch, "the hello names another VIN than the credential", envelope.Seq);
            return false;
        }
        if (hello.ProtocolVersion is < 1 or > EnvelopeCodec.ProtocolVersion)
        {
            Fail(ProtocolError.Types.Code.UnsupportedVersion, $"this server speaks protocol version {EnvelopeCodec.ProtocolVersion}", envelope.Seq);
            return false;
        }
        if (Validation.CarMessageValidator.CheckHello(hello) is { } invalid)
        {
            _services.Metrics.Refused(envelope.PayloadCase, invalid);
            Fail(ProtocolError.Types.Code.InvalidContent, $"the hello cannot be accepted: {invalid}", envelope.Seq);
            return false;
        }
        Privacy = hello.Privacy ?? new PrivacySettings();
        await _services.Writer.DrainAsync(Car, cancellationToken);
        long durable;
        // Under the car's lock from the read of its pending frames on, so that no frame queued meanwhile overtakes them or
        // misses this session: the hello's record and that read are one write transaction.
        using (await _services.Locks.AcquireAsync(Vin, cancellationToken))
        {
            var record = await _services.Store.RecordHelloAsync(hello, _services.Routing.InstanceId, _services.Time.GetUtcNow(), cancellationToken);
            var pending = record.Pending;
            Held(record);
            _helloRecorded = true;
            durable = Car.Advance(record.Durable); // the higher of the stored mark and what the writer made durable (a batch may be in flight)
            _durableSeq = durable;
            _ackedSeq = durable;
            _lastReceivedSeq = 0; // hello is not sequenced; resends after it may start below anything sent before
            _services.Registry.Register(this)?.Replace();
            if (cancellationToken.IsCancellationRequested)
            {
                Abort(); // the server began to stop while this car logged in, after the registry stopped every session
            }
            _outbound.TrySend(new Envelope
            {
                SentAtMs = Now(),
                Welcome = new Welcome
                {
                    LastReceivedSeq = (ulong)durable,
                    KeepAliveSeconds = (uint)_services.Options.KeepAliveInterval.TotalSeconds,
                    ServerTimeMs = Now(),
                },
            });
            // Already in memory, so queued whatever their number; only frames queued later count against the car's limit.
            _outbound.SendBacklog(pending);
            _services.Routing.Join(this);
        }
        _services.Events.Connected(Vin, Privacy);
        LogConnected(_services.Logger, LogRef.Vehicle(Vin), durable);
        return true;
    }

    private async Task<bool> HandleAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        if (_closing)
        {
            return false; // an error was sent; nothing after it is taken
        }
        switch (envelope.PayloadCase)
        {
            case Envelope.PayloadOneofCase.Ack:
                _services.Acks.Record(Vin, (long)envelope.Ack.UpToSeq);
                return true;
            case Envelope.PayloadOneofCase.Hello:
                Fail(ProtocolError.Types.Code.MalformedFrame, "hello was already received", envelope.Seq);
                return false;
        }
        if (!_services.Writer.Handles(envelope.PayloadCase))
        {
            Fail(ProtocolError.Types.Code.UnknownMessage, "the server does not accept this message from a car", envelope.Seq);
            return false;
        }
        var seq = (long)envelope.Seq;
        if (seq <= 0)
        {
            Fail(ProtocolError.Types.Code.MalformedFrame, "this message needs a seq", envelope.Seq);
            return false;
        }
        if (seq <= _lastReceivedSeq)
        {
            Fail(ProtocolError.Types.Code.Replay, "seq did not increase", envelope.Seq);
            return false;
        }
        var durable = Interlocked.Read(ref _durableSeq);
        if (IsImplausibleJump(Math.Max(_lastReceivedSeq, durable), seq))
        {
            // Acking it would make it the car's high-water mark, and every later frame would look like a resend.
            _services.Metrics.Refused(envelope.PayloadCase, Validation.RefusalReasons.SeqOutOfRange);
            Fail(ProtocolError.Types.Code.SeqOutOfRange, "seq jumped implausibly far ahead; the frame is rejected", envelope.Seq);
            return false;
        }
        _lastReceivedSeq = seq;
        if (seq <= durable)
        {
            // A resend of something already durable: ack it again, the car evidently missed the first ack.
            SendAck(durable);
            return true;
        }
        var receivedAt = _services.Time.GetUtcNow();
        var verdict = _services.Validator.Check(envelope, receivedAt);
        if (verdict.Dropped > 0)
        {
            _services.Metrics.Dropped(envelope.PayloadCase, verdict.Dropped);
        }
        if (verdict.Refusal is { } refusal)
        {
            await RefuseAsync(envelope, seq, refusal, receivedAt, cancellationToken);
            return false;
        }
        if (envelope.PayloadCase == Envelope.PayloadOneofCase.StatusReport && envelope.StatusReport.Privacy is { } privacy)
        {
            Privacy = privacy;
        }
        await _services.Writer.EnqueueAsync(this, new InboundMessage(Vin, seq, envelope, Privacy, receivedAt), cancellationToken);
        return true;
    }

    /// <summary>
    /// A seq may jump (a car without non-volatile memory may number its frames by the clock), but no single step may use
    /// up more than half of the sequence space the car has left: a jump to 2^63−1 would leave it none.
    /// </summary>
    private static bool IsImplausibleJump(long last, long seq) => seq - last > (long.MaxValue - last) / 2;

    /// <summary>
    /// A message whose content cannot be made sane: made durable as received (nothing of it stored) and acked, so that the
    /// car never resends it, then this car's connection alone is closed with the reason.
    /// </summary>
    private async Task RefuseAsync(Envelope envelope, long seq, string reason, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        _services.Metrics.Refused(envelope.PayloadCase, reason);
        await _services.Writer.EnqueueAsync(this, new InboundMessage(Vin, seq, envelope, Privacy, receivedAt, Refused: true), cancellationToken);
        await _services.Writer.DrainAsync(Car, cancellationToken); // the ack goes out before the error
        Fail(ProtocolError.Types.Code.InvalidContent, $"the message's content is implausible: {reason}", envelope.Seq);
    }

    private void Fail(ProtocolError.Types.Code code, string message, ulong seq)
    {
        LogProtocolError(_services.Logger, LogRef.Vehicle(Vin), code);
        _outbound.TrySend(new Envelope { SentAtMs = Now(), Error = new ProtocolError { Code = code, Message = message, Seq = seq } });
        _closing = true;
        _ = _outbound.Complete();
    }

    private long Now() => _services.Time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Information, Message = "Vehicle {VehicleRef} connected, durable seq {Seq}")]
    private static partial void LogConnected(ILogger logger, string vehicleRef, long seq);

    [LoggerMessage(Level = LogLevel.Error, Message = "Vehicle {VehicleRef}: storage failed; closing its connection")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, string vehicleRef);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vehicle {VehicleRef} disconnected")]
    private static partial void LogClosed(ILogger logger, string vehicleRef);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vehicle {VehicleRef} protocol error {Code}; closing its connection")]
    private static partial void LogProtocolError(ILogger logger, string vehicleRef, ProtocolError.Types.Code code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vehicle {VehicleRef} does not read its frames; closing its connection")]
    private static partial void LogSlowConsumer(ILogger logger, string vehicleRef);
}
