using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Bench;

/// <summary>
/// A load-generating car on a plain socket with its own RFC 6455 client framing, so that the client spends as
/// little CPU as possible on this 2-core machine: it pipelines up to <c>window</c> unacked status reports and
/// writes up to <see cref="FramesPerWrite"/> frames (each its own masked WebSocket message) per send call.
/// The server sees ordinary WebSocket messages, one Envelope each. It answers pings and counts cumulative acks.
/// Sequenced cloud frames (the commands benchmark) are processed once and acked cumulatively after each read, as
/// pitwall-sim does: a pairing code is kept, a command is answered at once with OUTCOME_PERFORMED.
/// </summary>
internal sealed class RawCar : IDisposable
{
    public const int FramesPerWrite = 32;
    private const int MaxFrameBytes = 1024;

    private readonly Socket _socket;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource<Welcome> _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _pairingCode = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Envelope> _results = [];
    private readonly StatusFrames _frames;
    private readonly LoadStats _stats;
    private readonly int _window;
    private readonly long[] _sentAt;
    private byte[] _in = new byte[16 * 1024];
    private int _inStart;
    private int _inEnd;
    private TaskCompletionSource _ackSignal = NewSignal();
    private long _acked;
    private long _sent;
    private long _commandsPerformed;
    private ulong _lastCloudSeq;
    private bool _cloudAckDue;
    private uint _maskSeed;
    private Task? _reader;
    private string? _failure;

    private RawCar(string vin, int index, Socket socket, int window, LoadStats stats)
    {
        Vin = vin;
        _socket = socket;
        _window = window;
        _stats = stats;
        _frames = new StatusFrames(index);
        _sentAt = new long[window];
        _maskSeed = (uint)RandomNumberGenerator.GetInt32(int.MaxValue) | 1;
    }

    public string Vin { get; }

    /// <summary>The seq the server held durably when the car connected (welcome.last_received_seq); reports start after it.</summary>
    public long FirstSeq { get; private set; }

    public long Acked => Volatile.Read(ref _acked);

    public long Sent => Volatile.Read(ref _sent);

    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>The first pairing code the server sent to this car's screen.</summary>
    public Task<string> PairingCode => _pairingCode.Task;

    public long CommandsPerformed => Interlocked.Read(ref _commandsPerformed);

    public static async Task<RawCar> ConnectAsync(
        Uri server, HttpClient http, int index, string fleetSecret, int window, LoadStats stats, CancellationToken cancellationToken)
    {
        var vin = Fleet.Vin(index);
        var nonce = await ChallengeAsync(http, vin, cancellationToken);
        var proof = VehicleAuth.Proof(Fleet.Secret(fleetSecret, vin), vin, nonce);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var car = new RawCar(vin, index, socket, window, stats);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(server.Host), server.Port), cancellationToken);
            await car.UpgradeAsync(server, nonce, proof, cancellationToken);
            car._reader = Task.Run(car.ReceiveLoopAsync, CancellationToken.None);
            await car.SendMessageAsync(StatusFrames.Hello(vin), cancellationToken);
            var welcome = await car._welcome.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            car.FirstSeq = (long)welcome.LastReceivedSeq;
            car._sent = car.FirstSeq;
            car._acked = car.FirstSeq;
            return car;
        }
        catch
        {
            car.Dispose();
            throw;
        }
    }

    public static async Task<string> ChallengeAsync(HttpClient http, string vin, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(EnvelopeCodec.ChallengePath, new { vin }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("nonce").GetString() ?? throw new InvalidOperationException("The challenge had no nonce.");
    }

    /// <summary>
    /// Sends reports until <paramref name="stop"/>, keeping at most the window unacked; with an <paramref name="interval"/>,
    /// one report per interval from a random phase (a late one moves the next due time), as a fleet below saturation sends.
    /// </summary>
    public async Task RunAsync(CancellationToken stop, TimeSpan? interval = null)
    {
        var buffer = new byte[FramesPerWrite * MaxFrameBytes];
        var pace = interval is { } every ? new Pace(every) : null;
        try
        {
            while (!stop.IsCancellationRequested && Failure is null)
            {
                var signal = Volatile.Read(ref _ackSignal);
                var room = _window - (_sent - Volatile.Read(ref _acked));
                if (room <= 0)
                {
                    try
                    {
                        await signal.Task.WaitAsync(TimeSpan.FromSeconds(1), stop);
                    }
                    catch (TimeoutException)
                    {
                    }
                    continue;
                }
                if (pace is { IsDue: false })
                {
                    await pace.WaitAsync(stop);
                    continue;
                }
                pace?.Sent();
                var count = pace is null ? (int)Math.Min(room, FramesPerWrite) : 1;
                var nowMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
                var now = Stopwatch.GetTimestamp();
                var length = 0;
                for (var i = 1; i <= count; i++)
                {
                    var seq = _sent + i;
                    _sentAt[seq % _window] = now;
                    length += WriteFrame(buffer.AsSpan(length), 0x2, _frames.Report((ulong)seq, nowMs));
                }
                // Counted as sent before the write: the ack may arrive before the write's continuation runs.
                // Not cancelled by stop: a write cut in half would leave frames counted as sent that never were.
                Volatile.Write(ref _sent, _sent + count);
                await WriteAsync(buffer.AsMemory(0, length), _closed.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            Fail($"send failed: {e.Message}");
        }
    }

    /// <summary>Waits (bounded) until everything sent is acked; true when it was.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Acked < Sent && Failure is null && Stopwatch.GetTimestamp() < deadline)
        {
            var signal = Volatile.Read(ref _ackSignal);
            if (Acked >= Sent)
            {
                break;
            }
            try
            {
                await signal.Task.WaitAsync(TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
            }
        }
        return Acked >= Sent;
    }

    public void Dispose()
    {
        _closed.Cancel();
        _socket.Dispose();
        _writeLock.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task UpgradeAsync(Uri server, string nonce, string proof, CancellationToken cancellationToken)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request =
            $"GET {EnvelopeCodec.WebSocketPath} HTTP/1.1\r\n" +
            $"Host: {server.Host}:{server.Port}\r\n" +
            "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n" +
            $"{VehicleAuth.VinHeader}: {Vin}\r\n{VehicleAuth.NonceHeader}: {nonce}\r\n{VehicleAuth.ProofHeader}: {proof}\r\n\r\n";
        await WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var end = _in.AsSpan(0, _inEnd).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(_in, 0, end);
                if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{Vin}: the upgrade was refused: {head.Split("\r\n")[0]}");
                }
                _inStart = end + 4;
                return;
            }
            if (_inEnd == _in.Length)
            {
                throw new InvalidOperationException($"{Vin}: the upgrade response is too long.");
            }
            var read = await _socket.ReceiveAsync(_in.AsMemory(_inEnd), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new InvalidOperationException($"{Vin}: the server closed the connection during the upgrade.");
            }
            _inEnd += read;
        }
    }

    private async Task SendMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFrameBytes * 4];
        var length = WriteFrame(buffer, 0x2, message);
        await WriteAsync(buffer.AsMemory(0, length), cancellationToken);
    }

    /// <summary>One masked client frame (FIN set) holding the whole message; returns its length.</summary>
    private int WriteFrame(Span<byte> destination, byte opcode, IMessage message)
    {
        var length = message.CalculateSize();
        var header = WriteHeader(destination, opcode, length);
        message.WriteTo(destination.Slice(header, length));
        Mask(destination.Slice(header, length), BinaryPrimitives.ReadUInt32LittleEndian(destination.Slice(header - 4, 4)));
        return header + length;
    }

    private int WriteHeader(Span<byte> destination, byte opcode, int length)
    {
        destination[0] = (byte)(0x80 | opcode);
        int header;
        if (length < 126)
        {
            destination[1] = (byte)(0x80 | length);
            header = 2;
        }
        else if (length <= ushort.MaxValue)
        {
            destination[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
            header = 4;
        }
        else
        {
            throw new InvalidOperationException("Frames this large are not sent by the benchmark.");
        }
        _maskSeed = unchecked((_maskSeed * 1_664_525) + 1_013_904_223);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[header..], _maskSeed);
        return header + 4;
    }

    /// <summary>XORs the payload with the 4-byte masking key (RFC 6455 §5.3), eight bytes at a time.</summary>
    private static void Mask(Span<byte> payload, uint key)
    {
        var key64 = key | ((ulong)key << 32);
        var whole = payload.Length & ~7;
        foreach (ref var word in MemoryMarshal.Cast<byte, ulong>(payload[..whole]))
        {
            word ^= key64;
        }
        for (var i = whole; i < payload.Length; i++)
        {
            payload[i] ^= (byte)(key >> (8 * (i & 3)));
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            while (data.Length > 0)
            {
                var written = await _socket.SendAsync(data, SocketFlags.None, cancellationToken);
                data = data[written..];
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                while (TryTakeFrame(out var opcode, out var payloadStart, out var payloadLength))
                {
                    if (!Handle(opcode, _in.AsSpan(payloadStart, payloadLength)))
                    {
                        return;
                    }
                }
                if (_cloudAckDue)
                {
                    await SendRepliesAsync();
                }
                if (_inStart == _inEnd)
                {
                    _inStart = _inEnd = 0;
                }
                else if (_inEnd == _in.Length)
                {
                    var pending = _inEnd - _inStart;
                    if (pending > _in.Length / 2)
                    {
                        Array.Resize(ref _in, _in.Length * 2);
                    }
                    Buffer.BlockCopy(_in, _inStart, _in, 0, pending);
                    _inStart = 0;
                    _inEnd = pending;
                }
                var read = await _socket.ReceiveAsync(_in.AsMemory(_inEnd), SocketFlags.None, _closed.Token);
                if (read == 0)
                {
                    Fail("the server closed the TCP connection");
                    return;
                }
                _inEnd += read;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidProtocolBufferException)
        {
            if (!_closed.IsCancellationRequested)
            {
                Fail($"receive failed: {e.Message}");
            }
        }
    }

    private bool TryTakeFrame(out int opcode, out int payloadStart, out int payloadLength)
    {
        opcode = payloadStart = payloadLength = 0;
        var available = _inEnd - _inStart;
        if (available < 2)
        {
            return false;
        }
        var span = _in.AsSpan(_inStart, available);
        opcode = span[0] & 0x0F;
        var masked = (span[1] & 0x80) != 0;
        long length = span[1] & 0x7F;
        var header = 2;
        if (length == 126)
        {
            if (available < 4)
            {
                return false;
            }
            length = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
            header = 4;
        }
        else if (length == 127)
        {
            if (available < 10)
            {
                return false;
            }
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(span[2..]);
            header = 10;
        }
        if (length > 1 << 20)
        {
            throw new InvalidOperationException($"{Vin}: a frame of {length} bytes from the server.");
        }
        var maskAt = header;
        if (masked)
        {
            header += 4;
        }
        if (available < header + length)
        {
            return false; // the receive loop compacts and grows the buffer when it is full
        }
        payloadStart = _inStart + header;
        payloadLength = (int)length;
        if (masked)
        {
            Mask(_in.AsSpan(payloadStart, payloadLength), BinaryPrimitives.ReadUInt32LittleEndian(span[maskAt..]));
        }
        _inStart += header + payloadLength;
        return true;
    }

    /// <returns>False when the connection is over.</returns>
    private bool Handle(int opcode, ReadOnlySpan<byte> payload)
    {
        switch (opcode)
        {
            case 0x2:
                OnEnvelope(Envelope.Parser.ParseFrom(payload));
                return Failure is null;
            case 0x8:
                var code = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 0;
                Fail($"the server closed the WebSocket ({code} {Encoding.UTF8.GetString(payload.Length > 2 ? payload[2..] : default)})");
                return false;
            case 0x9:
                CommandTimeline.Ping();
                var pong = new byte[payload.Length + 14];
                var header = WriteHeader(pong, 0xA, payload.Length);
                payload.CopyTo(pong.AsSpan(header));
                Mask(pong.AsSpan(header, payload.Length), BinaryPrimitives.ReadUInt32LittleEndian(pong.AsSpan(header - 4, 4)));
                _ = WriteAsync(pong.AsMemory(0, header + payload.Length), _closed.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return true;
            default:
                return true; // text, pong, continuation: not sent by the server
        }
    }

    private void OnEnvelope(Envelope envelope)
    {
        switch (envelope.PayloadCase)
        {
            case Envelope.PayloadOneofCase.Welcome:
                _welcome.TrySetResult(envelope.Welcome);
                break;
            case Envelope.PayloadOneofCase.Ack:
                var upTo = (long)envelope.Ack.UpToSeq;
                var previous = Volatile.Read(ref _acked);
                Interlocked.Increment(ref _stats.AckFrames);
                if (upTo > Volatile.Read(ref _sent))
                {
                    Fail($"the server acked seq {upTo} but only {Sent} were sent");
                    return;
                }
                if (upTo > previous)
                {
                    if (_stats.Measuring)
                    {
                        _stats.Latency.Record(Stopwatch.GetElapsedTime(_sentAt[upTo % _window]));
                    }
                    Volatile.Write(ref _acked, upTo);
                    Interlocked.Add(ref _stats.AckedReports, upTo - previous);
                    Interlocked.Exchange(ref _ackSignal, NewSignal()).TrySetResult();
                }
                break;
            case Envelope.PayloadOneofCase.Error:
                Fail($"protocol error {envelope.Error.Code}: {envelope.Error.Message} (seq {envelope.Error.Seq})");
                _welcome.TrySetException(new InvalidOperationException(Failure));
                break;
            default:
                if (envelope.Seq != 0)
                {
                    OnCloudFrame(envelope);
                }
                break;
        }
    }

    /// <summary>Once per cloud seq (a resend around a reconnect is only acked again); the ack and any results go out after this read.</summary>
    private void OnCloudFrame(Envelope envelope)
    {
        _cloudAckDue = true;
        if (envelope.Seq <= _lastCloudSeq)
        {
            return;
        }
        _lastCloudSeq = envelope.Seq;
        switch (envelope.PayloadCase)
        {
            case Envelope.PayloadOneofCase.PairingCode:
                _pairingCode.TrySetResult(envelope.PairingCode.Code);
                break;
            case Envelope.PayloadOneofCase.Command:
                CommandTimeline.AtCar(envelope.Command.CommandId);
                // Counted as sent before the write, as in RunAsync: the server's ack may come before the write returns.
                var seq = Interlocked.Increment(ref _sent);
                _results.Add(new Envelope
                {
                    Seq = (ulong)seq,
                    SentAtMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
                    CommandResult = new CommandResult { CommandId = envelope.Command.CommandId, Outcome = CommandResult.Types.Outcome.Performed },
                });
                Interlocked.Increment(ref _commandsPerformed);
                break;
        }
    }

    /// <summary>The cumulative ack of the cloud frames processed, then the command results: the order pitwall-sim sends them in.</summary>
    private async Task SendRepliesAsync()
    {
        var buffer = new byte[MaxFrameBytes * (1 + _results.Count)];
        var length = WriteFrame(buffer, 0x2, new Envelope { SentAtMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), Ack = new Ack { UpToSeq = _lastCloudSeq } });
        foreach (var result in _results)
        {
            length += WriteFrame(buffer.AsSpan(length), 0x2, result);
        }
        _results.Clear();
        _cloudAckDue = false;
        await WriteAsync(buffer.AsMemory(0, length), _closed.Token);
    }

    private void Fail(string reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is null)
        {
            Interlocked.Increment(ref _stats.FailedCars);
        }
        _welcome.TrySetException(new InvalidOperationException($"{Vin}: {reason}"));
        Interlocked.Exchange(ref _ackSignal, NewSignal()).TrySetResult();
    }

    /// <summary>Due times one interval apart from a random phase; a report sent late moves the next due time, never two at once.</summary>
    private sealed class Pace(TimeSpan interval)
    {
        private long _due = Stopwatch.GetTimestamp() + (long)(Random.Shared.NextDouble() * interval.TotalSeconds * Stopwatch.Frequency);
        private readonly long _interval = (long)(interval.TotalSeconds * Stopwatch.Frequency);

        public bool IsDue => Stopwatch.GetTimestamp() >= _due;

        public Task WaitAsync(CancellationToken stop)
        {
            var now = Stopwatch.GetTimestamp();
            return _due > now ? Task.Delay(Stopwatch.GetElapsedTime(now, _due), stop) : Task.CompletedTask;
        }

        public void Sent() => _due = Math.Max(_due + _interval, Stopwatch.GetTimestamp());
    }
}
